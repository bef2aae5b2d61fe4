<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>CameraTile</name>
    <message>
        <location filename="../../console/widgets/video_wall.py" line="24" />
        <source>No camera</source>
        <translation>未分配摄像头</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_wall.py" line="38" />
        <source>Video not connected yet</source>
        <translation>视频尚未接入</translation>
    </message>
</context>
<context>
    <name>DispatchQueueModel</name>
    <message>
        <location filename="../../console/models/dispatch_queue_model.py" line="49" />
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch_queue_model.py" line="50" />
        <source>Received</source>
        <translation>接收时间</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch_queue_model.py" line="51" />
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch_queue_model.py" line="52" />
        <source>Village / grid</source>
        <translation>村 / 网格</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch_queue_model.py" line="53" />
        <source>Channel</source>
        <translation>来源渠道</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch_queue_model.py" line="54" />
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch_queue_model.py" line="55" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch_queue_model.py" line="56" />
        <source>Reporter</source>
        <translation>上报人</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch_queue_model.py" line="57" />
        <source>Description</source>
        <translation>事件描述</translation>
    </message>
</context>
<context>
    <name>DispatchQueuePanel</name>
    <message>
        <location filename="../../console/widgets/dispatch_queue.py" line="35" />
        <source>Dispatch queue</source>
        <translation>事件派遣队列</translation>
    </message>
    <message>
        <location filename="../../console/widgets/dispatch_queue.py" line="37" />
        <source>The queue may be out of date: %1</source>
        <translation>队列数据可能已过期:%1</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../console/labels.py" line="10" />
        <source>Normal</source>
        <translation>一般</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="11" />
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="12" />
        <source>Very urgent</source>
        <translation>特急</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="15" />
        <source>Grid app</source>
        <translation>掌上基层</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="16" />
        <source>Resident app</source>
        <translation>平安通</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="17" />
        <source>Hotline</source>
        <translation>热线电话</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="18" />
        <source>Camera</source>
        <translation>视频发现</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="19" />
        <source>Enforcement</source>
        <translation>执法巡查</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="22" />
        <source>Reported</source>
        <translation>已上报</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="23" />
        <source>Passed up</source>
        <translation>待研判</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="24" />
        <source>Accepted</source>
        <translation>已受理</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="25" />
        <source>Rejected</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="26" />
        <source>Dispatched</source>
        <translation>已派遣</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="27" />
        <source>Returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="28" />
        <source>In progress</source>
        <translation>处置中</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="29" />
        <source>Replied</source>
        <translation>已反馈</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="30" />
        <source>Verified</source>
        <translation>已核查</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="31" />
        <source>Closed</source>
        <translation>已结案</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="32" />
        <source>Evaluated</source>
        <translation>已评价</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="33" />
        <source>Parked</source>
        <translation>挂账</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="34" />
        <source>Merged</source>
        <translation>已合并</translation>
    </message>
</context>
<context>
    <name>LinkStatus</name>
    <message>
        <location filename="../../console/widgets/link_status.py" line="23" />
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../console/widgets/link_status.py" line="26" />
        <source>No data from the backend for %n s</source>
        <translation>已 %n 秒未收到后台数据</translation>
    </message>
    <message>
        <location filename="../../console/widgets/link_status.py" line="30" />
        <source>Resynchronising with the backend…</source>
        <translation>正在与后台重新同步…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/link_status.py" line="32" />
        <source>Connecting to the backend…</source>
        <translation>正在连接后台…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/link_status.py" line="34" />
        <source>Backend unreachable: reconnecting…</source>
        <translation>后台无法连接,正在重连…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/link_status.py" line="36" />
        <source>Starting the backend…</source>
        <translation>正在启动后台…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../console/main_window.py" line="55" />
        <source>Comprehensive Information Command Room</source>
        <translation>综合信息指挥室</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="57" />
        <source>%1 Comprehensive Information Command Room</source>
        <translation>%1综合信息指挥室</translation>
    </message>
</context>
<context>
    <name>MetricsPanel</name>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="58" />
        <source>Key indicators</source>
        <translation>关键指标</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="60" />
        <source>These figures may be out of date: %1</source>
        <translation>指标数据可能已过期:%1</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="61" />
        <source>Reports today</source>
        <translation>今日上报</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="62" />
        <source>Urgent today</source>
        <translation>今日紧急</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="63" />
        <source>Awaiting triage</source>
        <translation>待研判</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="64" />
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="65" />
        <source>Cameras</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="77" />
        <source>Reports per minute, last hour</source>
        <translation>近一小时每分钟上报数</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="80" />
        <source>minutes ago</source>
        <translation>分钟前</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="93" />
        <source>Reports today by platform</source>
        <translation>今日各平台上报数</translation>
    </message>
</context>
<context>
    <name>VideoWall</name>
    <message>
        <location filename="../../console/widgets/video_wall.py" line="44" />
        <source>Video wall</source>
        <translation>视频墙</translation>
    </message>
</context>
</TS>