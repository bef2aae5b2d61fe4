<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ActionDialog</name>
    <message>
        <location filename="../../console/widgets/incident_actions.py" line="130"/>
        <source>Required</source>
        <translation>必填</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_actions.py" line="161"/>
        <source>What the department is to do, and how to report</source>
        <translation>写明处置要求与反馈方式</translation>
    </message>
</context>
<context>
    <name>AdministrationView</name>
    <message>
        <location filename="../../console/widgets/administration.py" line="44"/>
        <source>Login</source>
        <translation>登录名</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="44"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="44"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="45"/>
        <location filename="../../console/widgets/administration.py" line="46"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="46"/>
        <source>Console key</source>
        <translation>控制台密钥</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="47"/>
        <source>Disable / enable the user</source>
        <translation>停用 / 启用该用户</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="49"/>
        <source>Add a user…</source>
        <translation>新增用户…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="51"/>
        <source>New password…</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="53"/>
        <source>Change role…</source>
        <translation>修改角色…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="56"/>
        <source>Search login, name or role…</source>
        <translation>搜索登录名、姓名或角色…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="61"/>
        <source>Revoke the key</source>
        <translation>吊销该密钥</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="63"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="65"/>
        <source>Township files…</source>
        <translation>乡镇资料…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="80"/>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="86"/>
        <source>Console keys</source>
        <translation>控制台密钥</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="98"/>
        <source>Township version %1 applied</source>
        <translation>乡镇资料第 %1 版已应用</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="132"/>
        <source>Disable %1? Their sessions end at once.</source>
        <translation>停用 %1?其登录将立即结束。</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="147"/>
        <source>Add a user</source>
        <translation>新增用户</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="151"/>
        <source>New password for %1</source>
        <translation>重置 %1 的密码</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="156"/>
        <source>Role of %1</source>
        <translation>修改 %1 的角色</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="178"/>
        <source>Adding %1…</source>
        <translation>正在新增 %1…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="181"/>
        <source>Changing %1…</source>
        <translation>正在修改 %1…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="191"/>
        <source>Revoke %1? That console is refused at once, until enrolled again.</source>
        <translation>吊销 %1?该控制台将立即被拒绝,直至重新登记。</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="201"/>
        <source>Administration</source>
        <translation>系统管理</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="223"/>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="223"/>
        <source>active</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="242"/>
        <source>Plain text: this backend has no keys (one machine only).</source>
        <translation>明文连接:该后端未启用密钥(仅限单机使用)。</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="247"/>
        <source>revoked</source>
        <translation>已吊销</translation>
    </message>
    <message>
        <location filename="../../console/widgets/administration.py" line="247"/>
        <source>enrolled</source>
        <translation>已登记</translation>
    </message>
</context>
<context>
    <name>AuditView</name>
    <message>
        <location filename="../../console/widgets/audit_view.py" line="49"/>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../../console/widgets/audit_view.py" line="49"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../console/widgets/audit_view.py" line="49"/>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../console/widgets/audit_view.py" line="49"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../console/widgets/audit_view.py" line="50"/>
        <source>Console</source>
        <translation>控制台</translation>
    </message>
    <message>
        <location filename="../../console/widgets/audit_view.py" line="50"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../console/widgets/audit_view.py" line="50"/>
        <source>Subject</source>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../../console/widgets/audit_view.py" line="50"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../console/widgets/audit_view.py" line="59"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../console/widgets/audit_view.py" line="110"/>
        <source>BROKEN: %1</source>
        <translation>审计链断裂:%1</translation>
    </message>
    <message>
        <location filename="../../console/widgets/audit_view.py" line="114"/>
        <source>The newest %1 entries hold together (hash chain checked here).</source>
        <translation>最新 %1 条记录完整(已在本机校验哈希链)。</translation>
    </message>
</context>
<context>
    <name>AuditWords</name>
    <message>
        <location filename="../../console/audit_words.py" line="18"/>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="19"/>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="20"/>
        <source>Report a case</source>
        <translation>上报事件</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="21"/>
        <source>Send a patrol</source>
        <translation>提交巡查记录</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="22"/>
        <source>Add a photo</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="23"/>
        <source>Camera states from a wall</source>
        <translation>视频墙上报摄像头状态</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="24"/>
        <source>Read the cameras&apos; passwords</source>
        <translation>读取摄像头口令</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="25"/>
        <source>Test a camera</source>
        <translation>测试摄像头</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="26"/>
        <source>Add or change a camera</source>
        <translation>新增或修改摄像头</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="27"/>
        <source>Remove a camera</source>
        <translation>删除摄像头</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="28"/>
        <source>See a reporter&apos;s contact in full</source>
        <translation>查看报告人完整联系方式</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="29"/>
        <source>Read the audit trail</source>
        <translation>查阅审计日志</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="30"/>
        <source>Read the users</source>
        <translation>查看用户</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="31"/>
        <source>Change a user</source>
        <translation>修改用户</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="32"/>
        <source>Read the console keys</source>
        <translation>查看控制台密钥</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="33"/>
        <source>Revoke a console key</source>
        <translation>吊销控制台密钥</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="34"/>
        <source>Check the township&apos;s files</source>
        <translation>检查辖区资料</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="35"/>
        <source>Apply the township&apos;s files</source>
        <translation>应用辖区资料</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="36"/>
        <source>Township&apos;s files applied</source>
        <translation>辖区资料已应用</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="37"/>
        <source>User changed</source>
        <translation>用户已修改</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="38"/>
        <source>Console key enrolled</source>
        <translation>控制台密钥已登记</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="39"/>
        <source>Console key revoked</source>
        <translation>控制台密钥已吊销</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="40"/>
        <source>Old entries archived</source>
        <translation>旧记录已归档</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="43"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="44"/>
        <source>Backend</source>
        <translation>后台</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="45"/>
        <source>First import</source>
        <translation>首次导入</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="46"/>
        <source>User tool on the server</source>
        <translation>服务器端用户管理工具</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="47"/>
        <source>Key folder on the server</source>
        <translation>服务器端密钥目录</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="48"/>
        <source>Township tool on the server</source>
        <translation>服务器端辖区资料工具</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="51"/>
        <source>Done</source>
        <translation>成功</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="52"/>
        <source>Refused: not allowed</source>
        <translation>拒绝：无权限</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="53"/>
        <source>Refused: not logged in</source>
        <translation>拒绝：未登录</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="54"/>
        <source>Wrong user or password</source>
        <translation>用户名或密码错误</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="55"/>
        <source>Refused: too many tries</source>
        <translation>拒绝：尝试次数过多</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="56"/>
        <source>Refused: changed meanwhile</source>
        <translation>拒绝：已被他人修改</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="57"/>
        <source>Refused: not possible in its state</source>
        <translation>拒绝：当前状态不允许</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="58"/>
        <source>Refused: missing or wrong information</source>
        <translation>拒绝：信息缺失或有误</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="59"/>
        <source>Refused: no such case</source>
        <translation>拒绝：无此事件</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="62"/>
        <source>This machine (plain link)</source>
        <translation>本机(明文连接)</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="63"/>
        <source>Other request (%1)</source>
        <translation>其他请求(%1)</translation>
    </message>
    <message>
        <location filename="../../console/audit_words.py" line="64"/>
        <source>Refused (%1)</source>
        <translation>拒绝(%1)</translation>
    </message>
</context>
<context>
    <name>CameraAdmin</name>
    <message>
        <location filename="../../console/widgets/camera_admin.py" line="42"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_admin.py" line="42"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_admin.py" line="42"/>
        <source>Village</source>
        <translation>所属村社</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_admin.py" line="42"/>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_admin.py" line="43"/>
        <source>Phase</source>
        <translation>轮巡批次</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_admin.py" line="43"/>
        <source>Main stream</source>
        <translation>主码流地址</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_admin.py" line="51"/>
        <source>Add</source>
        <translation>新增</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_admin.py" line="51"/>
        <source>Edit / test</source>
        <translation>编辑 / 测试</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_admin.py" line="52"/>
        <source>Take off</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_admin.py" line="101"/>
        <source>Saved %1: every wall has it now</source>
        <translation>已保存 %1:各视频墙已同步</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_admin.py" line="112"/>
        <source>Take camera %1 off every wall?</source>
        <translation>确定从所有视频墙停用摄像头 %1?</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_admin.py" line="113"/>
        <source>Cameras</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_admin.py" line="119"/>
        <source>Taken off: %1</source>
        <translation>已停用:%1</translation>
    </message>
</context>
<context>
    <name>CameraDialog</name>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="47"/>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="52"/>
        <source>(none)</source>
        <translation>(无)</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="71"/>
        <source>not known (a dome)</source>
        <translation>未知(球机)</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="83"/>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="115"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="116"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="117"/>
        <source>Village</source>
        <translation>所属村社</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="118"/>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="119"/>
        <source>Tour phase</source>
        <translation>轮巡批次</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="120"/>
        <source>Latitude (WGS-84)</source>
        <translation>纬度(WGS-84)</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="121"/>
        <source>Longitude (WGS-84)</source>
        <translation>经度(WGS-84)</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="122"/>
        <source>Looks towards (from north)</source>
        <translation>朝向(自正北顺时针)</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="123"/>
        <source>Main stream</source>
        <translation>主码流地址</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="124"/>
        <source>Sub stream</source>
        <translation>子码流地址</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="125"/>
        <source>User</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="126"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="155"/>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="169"/>
        <source>%1 %2×%3, %4 frames/s (%5 s to the first picture)</source>
        <translation>%1 %2×%3,%4 帧/秒(%5 秒出首帧)</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="178"/>
        <source>No picture</source>
        <translation>无图像</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="185"/>
        <source>Unauthorised: the camera refused the user or password</source>
        <translation>未授权:摄像头拒绝了用户名或密码</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="186"/>
        <source>No such path: the camera has no stream at this address</source>
        <translation>路径不存在:该地址下没有视频流</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="187"/>
        <source>Unreachable: nothing answers at this host and port</source>
        <translation>无法连接:该主机和端口无应答</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="188"/>
        <source>Timed out: it answers but sends no picture</source>
        <translation>超时:有应答但没有图像</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="189"/>
        <source>Bad address</source>
        <translation>地址无效</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_dialog.py" line="190"/>
        <source>Not a video stream</source>
        <translation>不是视频流</translation>
    </message>
</context>
<context>
    <name>CameraTree</name>
    <message>
        <location filename="../../console/widgets/camera_tree.py" line="47"/>
        <source>By village</source>
        <translation>按村</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_tree.py" line="47"/>
        <source>By area</source>
        <translation>按区域</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_tree.py" line="47"/>
        <source>By phase</source>
        <translation>按期次</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_tree.py" line="52"/>
        <source>Search cameras…</source>
        <translation>搜索摄像头…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/camera_tree.py" line="89"/>
        <source>Phase %1</source>
        <translation>第 %1 期</translation>
    </message>
</context>
<context>
    <name>Chart</name>
    <message>
        <location filename="../../console/widgets/chart_base.py" line="118"/>
        <source>No data yet</source>
        <translation>暂无数据</translation>
    </message>
</context>
<context>
    <name>Console</name>
    <message>
        <location filename="../../console/app.py" line="262"/>
        <source>No base map: %1</source>
        <translation>无底图:%1</translation>
    </message>
</context>
<context>
    <name>DispatchQueueModel</name>
    <message>
        <location filename="../../console/models/dispatch_queue_model.py" line="85"/>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch_queue_model.py" line="86"/>
        <source>Received</source>
        <translation>接收时间</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch_queue_model.py" line="87"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch_queue_model.py" line="88"/>
        <source>Village / grid</source>
        <translation>村 / 网格</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch_queue_model.py" line="89"/>
        <source>Channel</source>
        <translation>来源渠道</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch_queue_model.py" line="90"/>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch_queue_model.py" line="91"/>
        <source>Level</source>
        <translation>层级</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch_queue_model.py" line="92"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch_queue_model.py" line="93"/>
        <source>Assigned to</source>
        <translation>承办单位</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch_queue_model.py" line="94"/>
        <source>Time left</source>
        <translation>剩余时限</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch_queue_model.py" line="95"/>
        <source>Reporter</source>
        <translation>上报人</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch_queue_model.py" line="96"/>
        <source>Description</source>
        <translation>事件描述</translation>
    </message>
</context>
<context>
    <name>DispatchQueuePanel</name>
    <message>
        <location filename="../../console/widgets/dispatch_queue.py" line="56"/>
        <source>Dispatch queue</source>
        <translation>事件派遣队列</translation>
    </message>
    <message>
        <location filename="../../console/widgets/dispatch_queue.py" line="58"/>
        <source>The queue may be out of date: %1</source>
        <translation>队列数据可能已过期:%1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../console/widgets/dispatch_queue.py" line="132"/>
        <source>Order paused under the mouse: %n new at the end</source>
        <translation>
            <numerusform>鼠标在队列上，暂停重排：新增 %n 件排在末尾</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../console/widgets/dispatch_queue.py" line="135"/>
        <source>Order paused under the mouse</source>
        <translation>鼠标在队列上，暂停重排</translation>
    </message>
    <message>
        <location filename="../../console/widgets/dispatch_queue.py" line="178"/>
        <source>Page %1 of %2</source>
        <translation>第 %1/%2 页</translation>
    </message>
</context>
<context>
    <name>EmbeddedBackend</name>
    <message>
        <location filename="../../console/embedded_backend.py" line="26"/>
        <source>Demo township: log in as supervisor, duty, handler, leader, worker, admin or auditor (or a person&apos;s code such as P0001); the password is demo.</source>
        <translation>演示乡镇:可用 supervisor(指挥长)、duty(值班员)、handler(部门承办人)、leader(网格长)、worker(专职网格员)、admin(管理员)或 auditor(审计员)登录,也可用人员编号(如 P0001);密码均为 demo。</translation>
    </message>
</context>
<context>
    <name>Evaluation</name>
    <message>
        <location filename="../../console/models/evaluation_model.py" line="33"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../console/models/evaluation_model.py" line="34"/>
        <source>Reports</source>
        <translation>上报</translation>
    </message>
    <message>
        <location filename="../../console/models/evaluation_model.py" line="35"/>
        <source>Due to close</source>
        <translation>应结</translation>
    </message>
    <message>
        <location filename="../../console/models/evaluation_model.py" line="36"/>
        <source>Closed</source>
        <translation>已结</translation>
    </message>
    <message>
        <location filename="../../console/models/evaluation_model.py" line="37"/>
        <source>On time</source>
        <translation>按期</translation>
    </message>
    <message>
        <location filename="../../console/models/evaluation_model.py" line="38"/>
        <source>Closure rate</source>
        <translation>结案率</translation>
    </message>
    <message>
        <location filename="../../console/models/evaluation_model.py" line="39"/>
        <source>On-time rate</source>
        <translation>按期结案率</translation>
    </message>
    <message>
        <location filename="../../console/models/evaluation_model.py" line="40"/>
        <source>Hours to close</source>
        <translation>办结用时(小时)</translation>
    </message>
    <message>
        <location filename="../../console/models/evaluation_model.py" line="41"/>
        <source>Overdue stages</source>
        <translation>超期环节</translation>
    </message>
    <message>
        <location filename="../../console/models/evaluation_model.py" line="42"/>
        <source>Urged</source>
        <translation>督办</translation>
    </message>
    <message>
        <location filename="../../console/models/evaluation_model.py" line="43"/>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <location filename="../../console/models/evaluation_model.py" line="44"/>
        <source>Evaluations</source>
        <translation>评价数</translation>
    </message>
    <message>
        <location filename="../../console/models/evaluation_model.py" line="45"/>
        <source>Closed per day</source>
        <translation>每日办结</translation>
    </message>
    <message>
        <location filename="../../console/models/evaluation_model.py" line="48"/>
        <source>Patrols</source>
        <translation>巡查次数</translation>
    </message>
    <message>
        <location filename="../../console/models/evaluation_model.py" line="49"/>
        <source>Days patrolled</source>
        <translation>巡查天数</translation>
    </message>
    <message>
        <location filename="../../console/models/evaluation_model.py" line="50"/>
        <source>Patrol day rate</source>
        <translation>巡查天数率</translation>
    </message>
    <message>
        <location filename="../../console/models/evaluation_model.py" line="51"/>
        <source>Patrol hours</source>
        <translation>巡查时长(小时)</translation>
    </message>
    <message>
        <location filename="../../console/models/evaluation_model.py" line="52"/>
        <source>Patrol km</source>
        <translation>巡查里程(公里)</translation>
    </message>
    <message>
        <location filename="../../console/models/evaluation_model.py" line="53"/>
        <source>Found on patrol</source>
        <translation>巡查发现</translation>
    </message>
</context>
<context>
    <name>EvaluationView</name>
    <message>
        <location filename="../../console/widgets/evaluation_view.py" line="109"/>
        <source>Departments</source>
        <translation>部门</translation>
    </message>
    <message>
        <location filename="../../console/widgets/evaluation_view.py" line="110"/>
        <source>Platforms</source>
        <translation>平台</translation>
    </message>
    <message>
        <location filename="../../console/widgets/evaluation_view.py" line="111"/>
        <source>Villages</source>
        <translation>村</translation>
    </message>
    <message>
        <location filename="../../console/widgets/evaluation_view.py" line="112"/>
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../console/widgets/evaluation_view.py" line="113"/>
        <source>Grid workers</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location filename="../../console/widgets/evaluation_view.py" line="119"/>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../../console/widgets/evaluation_view.py" line="119"/>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <location filename="../../console/widgets/evaluation_view.py" line="119"/>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <location filename="../../console/widgets/evaluation_view.py" line="119"/>
        <source>Last month</source>
        <translation>上月</translation>
    </message>
    <message>
        <location filename="../../console/widgets/evaluation_view.py" line="120"/>
        <source>Dates…</source>
        <translation>自选日期…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/evaluation_view.py" line="132"/>
        <source>Show</source>
        <translation>查询</translation>
    </message>
    <message>
        <location filename="../../console/widgets/evaluation_view.py" line="133"/>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <location filename="../../console/widgets/evaluation_view.py" line="134"/>
        <source>Export XLSX</source>
        <translation>导出 XLSX</translation>
    </message>
    <message>
        <location filename="../../console/widgets/evaluation_view.py" line="228"/>
        <source>Asking the backend for %1…</source>
        <translation>正在向后台查询 %1…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/evaluation_view.py" line="234"/>
        <source>Not evaluated: %1</source>
        <translation>未能考核:%1</translation>
    </message>
    <message>
        <location filename="../../console/widgets/evaluation_view.py" line="247"/>
        <source>%1: %2 rows</source>
        <translation>%1:%2 行</translation>
    </message>
    <message>
        <location filename="../../console/widgets/evaluation_view.py" line="247"/>
        <source>%1: nothing in this period yet</source>
        <translation>%1：本期暂无数据</translation>
    </message>
    <message>
        <location filename="../../console/widgets/evaluation_view.py" line="277"/>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <location filename="../../console/widgets/evaluation_view.py" line="284"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../console/widgets/evaluation_view.py" line="291"/>
        <source>Not saved: %1</source>
        <translation>未保存:%1</translation>
    </message>
</context>
<context>
    <name>IdentityLabel</name>
    <message>
        <location filename="../../console/widgets/identity_label.py" line="31"/>
        <source>Not logged in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <location filename="../../console/widgets/identity_label.py" line="40"/>
        <source>no cases</source>
        <translation>无案件</translation>
    </message>
</context>
<context>
    <name>IncidentActions</name>
    <message>
        <location filename="../../console/widgets/incident_actions.py" line="55"/>
        <source>Department</source>
        <translation>承办部门</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_actions.py" line="56"/>
        <source>Deadline</source>
        <translation>处置时限</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_actions.py" line="57"/>
        <source>Category default</source>
        <translation>按类别默认</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_actions.py" line="58"/>
        <source>Extra time</source>
        <translation>延长时间</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_actions.py" line="59"/>
        <source>Score (1–5)</source>
        <translation>评分（1–5）</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_actions.py" line="60"/>
        <source>Duplicate of</source>
        <translation>合并到</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_actions.py" line="61"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_actions.py" line="62"/>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_actions.py" line="63"/>
        <source>What is asked of the department</source>
        <translation>督办意见</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_actions.py" line="64"/>
        <source>Assisting departments</source>
        <translation>协办单位</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_actions.py" line="65"/>
        <source>Dispatch opinion</source>
        <translation>派遣意见</translation>
    </message>
</context>
<context>
    <name>IncidentDetail</name>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="63"/>
        <location filename="../../console/widgets/incident_detail.py" line="153"/>
        <source>Select a case in the queue</source>
        <translation>请在队列中选择事件</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="104"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="105"/>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="106"/>
        <source>Position</source>
        <translation>坐标</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="107"/>
        <source>Reported</source>
        <translation>上报</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="108"/>
        <source>Reporter&apos;s contact</source>
        <translation>报告人联系方式</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="109"/>
        <source>Assigned to</source>
        <translation>承办单位</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="111"/>
        <source>Current stage</source>
        <translation>当前环节</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="112"/>
        <source>Whole case due</source>
        <translation>全案时限</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="113"/>
        <source>Extension</source>
        <translation>延期申请</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="76"/>
        <source>Open on the video wall</source>
        <translation>在视频墙打开</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="89"/>
        <source>Description</source>
        <translation>事件描述</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="91"/>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="93"/>
        <source>Nearest cameras</source>
        <translation>附近摄像头</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="96"/>
        <source>Timeline</source>
        <translation>处置经过</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="110"/>
        <source>Assisting</source>
        <translation>协办单位</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="114"/>
        <source>Urged</source>
        <translation>督办</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="131"/>
        <source>Show in full</source>
        <translation>查看完整信息</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="132"/>
        <source>Seeing it is recorded in the audit trail</source>
        <translation>查看将记入审计日志</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="179"/>
        <source>(waiting for the backend: %1)</source>
        <translation>（等待后台应答：%1）</translation>
    </message>
    <message numerus="yes">
        <location filename="../../console/widgets/incident_detail.py" line="200"/>
        <source>%n time(s)</source>
        <translation>
            <numerusform>%n 次</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="207"/>
        <source>No position reported</source>
        <translation>未报坐标</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="220"/>
        <source>(seen in full: recorded)</source>
        <translation>(已查看完整信息,已记入审计)</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="255"/>
        <source>The case&apos;s history could not be loaded: %1</source>
        <translation>无法载入事件经过：%1</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="286"/>
        <source> (assisting: %1)</source>
        <translation>（协办：%1）</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="288"/>
        <source>, within %1</source>
        <translation>，时限 %1</translation>
    </message>
    <message>
        <location filename="../../console/widgets/incident_detail.py" line="316"/>
        <source>(unreadable photo)</source>
        <translation>（照片无法读取）</translation>
    </message>
</context>
<context>
    <name>IndicatorCharts</name>
    <message>
        <location filename="../../console/widgets/indicator_charts.py" line="58"/>
        <source>Reports per 10 min, today and yesterday</source>
        <translation>今日与昨日每10分钟上报</translation>
    </message>
    <message>
        <location filename="../../console/widgets/indicator_charts.py" line="63"/>
        <location filename="../../console/widgets/indicator_charts.py" line="100"/>
        <source>hour</source>
        <translation>时</translation>
    </message>
    <message>
        <location filename="../../console/widgets/indicator_charts.py" line="73"/>
        <source>yesterday</source>
        <translation>昨日</translation>
    </message>
    <message>
        <location filename="../../console/widgets/indicator_charts.py" line="79"/>
        <source>today</source>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../../console/widgets/indicator_charts.py" line="98"/>
        <source>Reports per hour by platform</source>
        <translation>今日各平台每小时上报</translation>
    </message>
    <message>
        <location filename="../../console/widgets/indicator_charts.py" line="140"/>
        <source>None yet</source>
        <translation>暂无数据</translation>
    </message>
    <message>
        <location filename="../../console/widgets/indicator_charts.py" line="231"/>
        <source>No case due yet this month</source>
        <translation>本月尚无到期案件</translation>
    </message>
    <message>
        <location filename="../../console/widgets/indicator_charts.py" line="235"/>
        <source>On-time rate by department, month</source>
        <translation>本月各部门按期结案率</translation>
    </message>
    <message>
        <location filename="../../console/widgets/indicator_charts.py" line="255"/>
        <source>On-time rate by platform, month</source>
        <translation>本月各平台按期结案率</translation>
    </message>
    <message>
        <location filename="../../console/widgets/indicator_charts.py" line="270"/>
        <source>No open case</source>
        <translation>无在办事件</translation>
    </message>
    <message>
        <location filename="../../console/widgets/indicator_charts.py" line="274"/>
        <source>Most open cases by village</source>
        <translation>在办事件最多的村</translation>
    </message>
    <message>
        <location filename="../../console/widgets/indicator_charts.py" line="287"/>
        <source>Nothing overdue</source>
        <translation>无超期</translation>
    </message>
    <message>
        <location filename="../../console/widgets/indicator_charts.py" line="291"/>
        <source>Overdue now by stage</source>
        <translation>当前超期(按环节)</translation>
    </message>
    <message>
        <location filename="../../console/widgets/indicator_charts.py" line="303"/>
        <source>No report yet today</source>
        <translation>今日尚无上报</translation>
    </message>
    <message>
        <location filename="../../console/widgets/indicator_charts.py" line="307"/>
        <source>Reports today by channel</source>
        <translation>今日上报渠道</translation>
    </message>
    <message>
        <location filename="../../console/widgets/history_charts.py" line="154"/>
        <source>Open and overdue, 24 h</source>
        <translation>在办与超期(24小时)</translation>
    </message>
    <message>
        <location filename="../../console/widgets/history_charts.py" line="159"/>
        <source>open</source>
        <translation>在办</translation>
    </message>
    <message>
        <location filename="../../console/widgets/history_charts.py" line="160"/>
        <source>overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <location filename="../../console/widgets/history_charts.py" line="168"/>
        <source>Reports and closings, 30 days</source>
        <translation>上报与结案(30天)</translation>
    </message>
    <message>
        <location filename="../../console/widgets/history_charts.py" line="173"/>
        <source>reports</source>
        <translation>上报</translation>
    </message>
    <message>
        <location filename="../../console/widgets/history_charts.py" line="174"/>
        <source>closed</source>
        <translation>结案</translation>
    </message>
</context>
<context>
    <name>IndicatorPages</name>
    <message>
        <location filename="../../console/widgets/indicator_pages.py" line="34"/>
        <source>Cameras offline: no console has reported yet</source>
        <translation>离线摄像头:尚无控制台上报</translation>
    </message>
    <message>
        <location filename="../../console/widgets/indicator_pages.py" line="44"/>
        <source>Cameras online: %1 of %2 watched (%3 in all)</source>
        <translation>摄像头在线:已观看 %2 路中 %1 路在线(共 %3 路)</translation>
    </message>
    <message>
        <location filename="../../console/widgets/indicator_pages.py" line="56"/>
        <source>● %1 offline since %2 (%3 min)</source>
        <translation>● %1 自 %2 离线(%3 分钟)</translation>
    </message>
    <message>
        <location filename="../../console/widgets/indicator_pages.py" line="64"/>
        <source>and %1 more</source>
        <translation>另有 %1 路</translation>
    </message>
    <message>
        <location filename="../../console/widgets/indicator_pages.py" line="139"/>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../console/widgets/indicator_pages.py" line="143"/>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../../console/widgets/indicator_pages.py" line="147"/>
        <source>Accountability</source>
        <translation>考核</translation>
    </message>
    <message>
        <location filename="../../console/widgets/indicator_pages.py" line="155"/>
        <source>Trend and cameras</source>
        <translation>趋势与设备</translation>
    </message>
    <message>
        <location filename="../../console/widgets/indicator_pages.py" line="173"/>
        <source>Key indicators</source>
        <translation>关键指标</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../console/labels.py" line="13"/>
        <source>Normal</source>
        <translation>一般</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="14"/>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="15"/>
        <source>Very urgent</source>
        <translation>特急</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="18"/>
        <source>Grid app</source>
        <translation>掌上基层</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="19"/>
        <source>Resident app</source>
        <translation>平安通</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="20"/>
        <source>Hotline</source>
        <translation>热线电话</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="21"/>
        <source>Camera</source>
        <translation>视频发现</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="22"/>
        <source>Enforcement</source>
        <translation>执法巡查</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="25"/>
        <location filename="../../console/labels.py" line="87"/>
        <source>Reported</source>
        <translation>已上报</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="26"/>
        <source>Passed up</source>
        <translation>待研判</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="27"/>
        <source>Accepted</source>
        <translation>已受理</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="28"/>
        <source>Rejected</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="29"/>
        <source>Dispatched</source>
        <translation>已派遣</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="30"/>
        <source>Returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="31"/>
        <source>In progress</source>
        <translation>处置中</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="32"/>
        <source>Replied</source>
        <translation>已反馈</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="33"/>
        <source>Verified</source>
        <translation>已核查</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="34"/>
        <source>Closed</source>
        <translation>已结案</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="35"/>
        <source>Evaluated</source>
        <translation>已评价</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="36"/>
        <source>Parked</source>
        <translation>挂账</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="37"/>
        <source>Merged</source>
        <translation>已合并</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="41"/>
        <source>Village</source>
        <translation>村级</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="42"/>
        <source>Town platform</source>
        <translation>镇平台</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="43"/>
        <source>Cross-platform</source>
        <translation>跨平台协同</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="44"/>
        <source>Task force</source>
        <translation>专班</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="47"/>
        <source>Pass up</source>
        <translation>上报镇级</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="48"/>
        <source>Settle in the village</source>
        <translation>村内办结</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="49"/>
        <source>Accept</source>
        <translation>受理</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="50"/>
        <source>Reject</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="51"/>
        <location filename="../../console/labels.py" line="83"/>
        <source>Dispatch</source>
        <translation>派遣</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="52"/>
        <source>Return</source>
        <translation>退回</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="53"/>
        <source>Start handling</source>
        <translation>开始处置</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="54"/>
        <source>Request extension</source>
        <translation>申请延期</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="55"/>
        <source>Approve extension</source>
        <translation>批准延期</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="56"/>
        <source>Deny extension</source>
        <translation>驳回延期</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="57"/>
        <source>Reply</source>
        <translation>处置反馈</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="58"/>
        <source>Verify</source>
        <translation>核查通过</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="59"/>
        <source>Reopen</source>
        <translation>重新办理</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="60"/>
        <source>Close</source>
        <translation>结案</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="61"/>
        <source>Evaluate</source>
        <translation>评价</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="62"/>
        <source>Park</source>
        <translation>挂账</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="63"/>
        <source>Unpark</source>
        <translation>取消挂账</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="64"/>
        <source>Escalate</source>
        <translation>升级</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="65"/>
        <source>Urge on</source>
        <translation>督办</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="66"/>
        <source>Merge duplicate</source>
        <translation>合并重复件</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="67"/>
        <source>Overdue</source>
        <translation>超时</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="70"/>
        <source>Grid worker</source>
        <translation>专职网格员</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="71"/>
        <source>Grid member</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="72"/>
        <source>Grid leader</source>
        <translation>网格长</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="73"/>
        <source>Duty officer</source>
        <translation>值班员</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="74"/>
        <source>Supervisor</source>
        <translation>指挥长</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="75"/>
        <source>Department handler</source>
        <translation>部门承办人</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="76"/>
        <source>Administrator</source>
        <translation>系统管理员</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="77"/>
        <source>Auditor</source>
        <translation>审计员</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="78"/>
        <source>Gateway</source>
        <translation>网关</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="79"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="82"/>
        <source>Acceptance</source>
        <translation>受理</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="84"/>
        <source>Handling</source>
        <translation>处置</translation>
    </message>
    <message>
        <location filename="../../console/labels.py" line="85"/>
        <source>Verification</source>
        <translation>核查</translation>
    </message>
</context>
<context>
    <name>LinkStatus</name>
    <message>
        <location filename="../../console/widgets/link_status.py" line="26"/>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../console/widgets/link_status.py" line="29"/>
        <source>No data from the backend for %n s</source>
        <translation>已 %n 秒未收到后台数据</translation>
    </message>
    <message>
        <location filename="../../console/widgets/link_status.py" line="33"/>
        <source>Resynchronising with the backend…</source>
        <translation>正在与后台重新同步…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/link_status.py" line="35"/>
        <source>Connecting to the backend…</source>
        <translation>正在连接后台…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/link_status.py" line="37"/>
        <source>Backend unreachable: reconnecting…</source>
        <translation>后台无法连接,正在重连…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/link_status.py" line="40"/>
        <source>Backend starting (loading its data for %n s)…</source>
        <translation>后台启动中(已加载数据 %n 秒)…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/link_status.py" line="44"/>
        <source>Starting the backend…</source>
        <translation>正在启动后台…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/link_status.py" line="46"/>
        <source>This console is not enrolled: the backend refuses its key (ask the administrator)</source>
        <translation>本机未登记:后端拒绝了本机密钥(请联系管理员)</translation>
    </message>
    <message>
        <location filename="../../console/widgets/link_status.py" line="51"/>
        <source>Not logged in: log in to see the cases</source>
        <translation>未登录:请登录后查看事件</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../console/widgets/login_dialog.py" line="21"/>
        <source>Wrong user name or password, or the user is disabled.</source>
        <translation>用户名或密码错误,或该用户已停用。</translation>
    </message>
    <message>
        <location filename="../../console/widgets/login_dialog.py" line="24"/>
        <source>Too many wrong passwords: this user must wait a few minutes.</source>
        <translation>密码错误次数过多:该用户需等待几分钟后再试。</translation>
    </message>
    <message>
        <location filename="../../console/widgets/login_dialog.py" line="27"/>
        <source>The backend ended this login (logged out, idle, or user disabled).</source>
        <translation>后端已结束本次登录(已退出、长时间未操作或用户已停用)。</translation>
    </message>
    <message>
        <location filename="../../console/widgets/login_dialog.py" line="30"/>
        <source>This user&apos;s role cannot use a console (a system&apos;s login, not a person&apos;s).</source>
        <translation>该用户的角色不能使用控制台(系统接入账号,非人员账号)。</translation>
    </message>
    <message>
        <location filename="../../console/widgets/login_dialog.py" line="41"/>
        <location filename="../../console/widgets/login_dialog.py" line="60"/>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../console/widgets/login_dialog.py" line="45"/>
        <source>user name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../console/widgets/login_dialog.py" line="48"/>
        <source>password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../console/widgets/login_dialog.py" line="56"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../console/widgets/login_dialog.py" line="57"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../console/main_window.py" line="150"/>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../console/wall_layout.py" line="71"/>
        <source>Key indicators</source>
        <translation>关键指标</translation>
    </message>
    <message>
        <location filename="../../console/wall_layout.py" line="77"/>
        <source>Township map</source>
        <translation>一张图</translation>
    </message>
    <message>
        <location filename="../../console/desk_layout.py" line="48"/>
        <location filename="../../console/wall_layout.py" line="82"/>
        <source>Video wall</source>
        <translation>视频墙</translation>
    </message>
    <message>
        <location filename="../../console/desk_layout.py" line="49"/>
        <source>Map</source>
        <translation>一张图</translation>
    </message>
    <message>
        <location filename="../../console/desk_layout.py" line="50"/>
        <source>Indicators</source>
        <translation>关键指标</translation>
    </message>
    <message>
        <location filename="../../console/desk_layout.py" line="51"/>
        <source>Case</source>
        <translation>事件详情</translation>
    </message>
    <message>
        <location filename="../../console/desk_layout.py" line="52"/>
        <source>Cameras</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../../console/desk_layout.py" line="53"/>
        <source>Evaluation</source>
        <translation>考核</translation>
    </message>
    <message>
        <location filename="../../console/desk_layout.py" line="55"/>
        <source>Administration</source>
        <translation>系统管理</translation>
    </message>
    <message>
        <location filename="../../console/desk_layout.py" line="57"/>
        <source>Audit trail</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location filename="../../console/desk_layout.py" line="58"/>
        <source>Camera management</source>
        <translation>摄像头管理</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="255"/>
        <source>That case is not in the queue as it is filtered now</source>
        <translation>该事件不在当前筛选后的队列中</translation>
    </message>
    <message>
        <location filename="../../console/wall_snapshots.py" line="84"/>
        <source>Snapshot saved: %1</source>
        <translation>截图已保存：%1</translation>
    </message>
    <message>
        <location filename="../../console/wall_snapshots.py" line="86"/>
        <source>Could not save %1</source>
        <translation>无法保存 %1</translation>
    </message>
    <message>
        <location filename="../../console/wall_snapshots.py" line="55"/>
        <source>Select a case first, then attach</source>
        <translation>请先选中一个事件再附加</translation>
    </message>
    <message>
        <location filename="../../console/wall_snapshots.py" line="72"/>
        <source>Attaching the snapshot to %1…</source>
        <translation>正在把截图附加到 %1…</translation>
    </message>
    <message>
        <location filename="../../console/wall_snapshots.py" line="92"/>
        <source>Snapshot attached to %1</source>
        <translation>截图已附加到 %1</translation>
    </message>
    <message>
        <location filename="../../console/wall_snapshots.py" line="96"/>
        <source>The snapshot was not attached to %1: %2</source>
        <translation>截图未能附加到 %1：%2</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="301"/>
        <source>Comprehensive Information Command Room</source>
        <translation>综合信息指挥室</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="303"/>
        <source>%1 Comprehensive Information Command Room</source>
        <translation>%1综合信息指挥室</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="306"/>
        <source>⚠ PLAIN TEXT LINK: one machine only</source>
        <translation>⚠ 明文连接:仅限单机使用</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="402"/>
        <source>The indicators&apos; history did not come: %1</source>
        <translation>指标历史未能取得:%1</translation>
    </message>
</context>
<context>
    <name>MapPanel</name>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="46"/>
        <source>Shade grids by open cases</source>
        <translation>网格着色:在办事件数</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="47"/>
        <source>Shade grids by overdue share</source>
        <translation>网格着色:超期占比</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="48"/>
        <source>Shade grids by on-time rate</source>
        <translation>网格着色:按期办结率</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="49"/>
        <source>Grids not patrolled today</source>
        <translation>网格着色:今日未巡查</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="50"/>
        <source>No shading</source>
        <translation>不着色</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="56"/>
        <source>Cases</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="57"/>
        <source>Cameras</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="58"/>
        <source>Patrol tracks</source>
        <translation>巡查轨迹</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="59"/>
        <source>Roads and water</source>
        <translation>道路水系</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="60"/>
        <source>The township&apos;s own map layers, from its files</source>
        <translation>本镇自有的地图图层(来自乡镇文件)</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="67"/>
        <source>No heat layer</source>
        <translation>无热力图</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="68"/>
        <source>Heat: all reports</source>
        <translation>热力:全部上报</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="72"/>
        <source>the last day</source>
        <translation>近一天</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="73"/>
        <source>the last 7 days</source>
        <translation>近 7 天</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="74"/>
        <source>the last 30 days</source>
        <translation>近 30 天</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="75"/>
        <source>the last 90 days</source>
        <translation>近 90 天</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="140"/>
        <source>heat: asking for %1</source>
        <translation>热力:正在请求%1的数据</translation>
    </message>
    <message numerus="yes">
        <location filename="../../console/widgets/map_panel.py" line="163"/>
        <source>heat: %n report(s), %1</source>
        <translation>
            <numerusform>热力:%1 %n 件上报</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="170"/>
        <source>heat not available: %1</source>
        <translation>热力不可用:%1</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="184"/>
        <source>Heat: %1</source>
        <translation>热力:%1</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="236"/>
        <source>connection refused</source>
        <translation>连接被拒绝</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="237"/>
        <source>timed out</source>
        <translation>超时</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="238"/>
        <source>unreachable</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="239"/>
        <source>its answers are not pictures</source>
        <translation>返回的不是图片</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="240"/>
        <source>its answers are too big</source>
        <translation>返回内容过大</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="241"/>
        <source>base map server failing (%1): only the tiles kept before</source>
        <translation>底图服务器异常(%1):只显示此前已缓存的图块</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="245"/>
        <source>%1 (%2 min ago)</source>
        <translation>%1(%2 分钟前)</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="80"/>
        <source>Whole township</source>
        <translation>全镇</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="82"/>
        <source>Clear the area</source>
        <translation>清除选区</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="83"/>
        <source>Shift+drag on the map: filter the queue to an area</source>
        <translation>在地图上按住 Shift 拖动:按区域筛选队列</translation>
    </message>
    <message numerus="yes">
        <location filename="../../console/widgets/map_panel.py" line="220"/>
        <source>%n open case(s) on the map</source>
        <translation>
            <numerusform>地图上 %n 件在办事件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../console/widgets/map_panel.py" line="222"/>
        <source>%n placed outside the township</source>
        <translation>
            <numerusform>%n 件位置在本镇以外</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../console/widgets/map_panel.py" line="224"/>
        <source>%n without a place</source>
        <translation>
            <numerusform>%n 件无位置</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="226"/>
        <source>grid figures not yet received</source>
        <translation>网格指标尚未收到</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="230"/>
        <source>grid figures %1 s old</source>
        <translation>网格指标已是 %1 秒前</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_panel.py" line="233"/>
        <source>base map %1 (%2)</source>
        <translation>底图 %1(%2)</translation>
    </message>
</context>
<context>
    <name>MapSet</name>
    <message>
        <location filename="../../console/widgets/map_set.py" line="117"/>
        <source>not for this role</source>
        <translation>此角色无权查看</translation>
    </message>
</context>
<context>
    <name>MetricsPanel</name>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="147"/>
        <source>Key indicators</source>
        <translation>关键指标</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="149"/>
        <source>These figures may be out of date: %1</source>
        <translation>指标数据可能已过期:%1</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="150"/>
        <source>Reports today</source>
        <translation>今日上报</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="151"/>
        <source>Urgent today</source>
        <translation>今日紧急</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="152"/>
        <source>Awaiting triage</source>
        <translation>待研判</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="153"/>
        <source>Grids patrolled today</source>
        <translation>今日已巡查网格</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="154"/>
        <source>Cameras online</source>
        <translation>摄像头在线</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="167"/>
        <source>Reports per minute, last hour</source>
        <translation>近一小时每分钟上报数</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="170"/>
        <source>minutes ago</source>
        <translation>分钟前</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="186"/>
        <source>Reports today by platform</source>
        <translation>今日各平台上报数</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="254"/>
        <source>Closure rate, month</source>
        <translation>本月结案率</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="255"/>
        <source>On-time closure, month</source>
        <translation>本月按期结案率</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="256"/>
        <source>Overdue now</source>
        <translation>当前超期</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="257"/>
        <source>Settled in the village, today</source>
        <translation>今日村内办结率</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="258"/>
        <source>Time to accept, p90 today</source>
        <translation>今日受理用时(P90)</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="259"/>
        <source>Satisfaction, month</source>
        <translation>本月满意度</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="271"/>
        <source>Closed today</source>
        <translation>今日办结</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="284"/>
        <source>Indicators from %1 s ago</source>
        <translation>指标数据已是 %1 秒前</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="347"/>
        <source>Cameras online (%1 watched)</source>
        <translation>摄像头在线(在看 %1 路)</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="361"/>
        <location filename="../../console/widgets/metrics_panel.py" line="363"/>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="365"/>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <location filename="../../console/widgets/metrics_panel.py" line="366"/>
        <source>%1 days</source>
        <translation>%1 天</translation>
    </message>
</context>
<context>
    <name>Present</name>
    <message>
        <location filename="../../console/present.py" line="74"/>
        <source>Yesterday %1</source>
        <translation>昨天 %1</translation>
    </message>
    <message>
        <location filename="../../console/present.py" line="103"/>
        <source>%1d %2h</source>
        <translation>%1天%2时</translation>
    </message>
    <message>
        <location filename="../../console/present.py" line="107"/>
        <source>overdue %1</source>
        <translation>超时 %1</translation>
    </message>
    <message>
        <location filename="../../console/present.py" line="112"/>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location filename="../../console/present.py" line="113"/>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <location filename="../../console/present.py" line="114"/>
        <source>%1 working h</source>
        <translation>%1 工作小时</translation>
    </message>
    <message>
        <location filename="../../console/present.py" line="115"/>
        <source>%1 working days</source>
        <translation>%1 个工作日</translation>
    </message>
</context>
<context>
    <name>QueueFilterBar</name>
    <message>
        <location filename="../../console/widgets/queue_filter_bar.py" line="27"/>
        <source>Open cases</source>
        <translation>在办事件</translation>
    </message>
    <message>
        <location filename="../../console/widgets/queue_filter_bar.py" line="28"/>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../console/widgets/queue_filter_bar.py" line="31"/>
        <source>Any urgency</source>
        <translation>全部紧急程度</translation>
    </message>
    <message>
        <location filename="../../console/widgets/queue_filter_bar.py" line="32"/>
        <source>Any level</source>
        <translation>全部层级</translation>
    </message>
    <message>
        <location filename="../../console/widgets/queue_filter_bar.py" line="33"/>
        <source>Any platform</source>
        <translation>全部平台</translation>
    </message>
    <message>
        <location filename="../../console/widgets/queue_filter_bar.py" line="34"/>
        <source>Any department</source>
        <translation>全部部门</translation>
    </message>
    <message>
        <location filename="../../console/widgets/queue_filter_bar.py" line="35"/>
        <source>Any category</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <location filename="../../console/widgets/queue_filter_bar.py" line="36"/>
        <source>Any village</source>
        <translation>全部村</translation>
    </message>
    <message>
        <location filename="../../console/widgets/queue_filter_bar.py" line="37"/>
        <source>Overdue</source>
        <translation>超时</translation>
    </message>
    <message>
        <location filename="../../console/widgets/queue_filter_bar.py" line="38"/>
        <source>Mine</source>
        <translation>我经办的</translation>
    </message>
    <message>
        <location filename="../../console/widgets/queue_filter_bar.py" line="40"/>
        <source>Cases whose latest change was made by %1</source>
        <translation>最近一次由%1处理的事件</translation>
    </message>
    <message>
        <location filename="../../console/widgets/queue_filter_bar.py" line="43"/>
        <source>Search number, text, place, reporter…</source>
        <translation>搜索编号、内容、地点、上报人…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/queue_filter_bar.py" line="60"/>
        <source>Map area ✕</source>
        <translation>地图选区 ✕</translation>
    </message>
    <message>
        <location filename="../../console/widgets/queue_filter_bar.py" line="61"/>
        <source>Only the cases in the area chosen on the map</source>
        <translation>只显示地图上所选区域内的事件</translation>
    </message>
</context>
<context>
    <name>Refusals</name>
    <message>
        <location filename="../../console/refusal_words.py" line="24"/>
        <source>Someone else changed this case after you looked at it. The queue shows it as it is now; look again before acting.</source>
        <translation>您查看之后，该事件已被他人处理。队列已显示其最新状态，请核对后再操作。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="25"/>
        <source>That step is not possible in the case&apos;s current state.</source>
        <translation>该事件当前状态下不能执行此操作。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="26"/>
        <source>Your role may not take that step.</source>
        <translation>您的岗位无权执行此操作。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="27"/>
        <source>Something the step needs is missing or wrong.</source>
        <translation>操作所需信息缺失或有误。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="28"/>
        <source>The backend does not know this case.</source>
        <translation>后台没有该事件。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="29"/>
        <source>The backend did not answer in time. The queue will show whether the step was taken.</source>
        <translation>后台未及时应答。操作是否生效，以队列显示为准。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="30"/>
        <source>There is no connection to the backend; nothing was sent.</source>
        <translation>与后台的连接已断开，操作未发出。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="31"/>
        <source>Too many requests; wait a moment and try again.</source>
        <translation>请求过于频繁，请稍候再试。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="32"/>
        <source>The backend is still starting; try again in a moment.</source>
        <translation>后台正在启动，请稍候再试。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="34"/>
        <source>The backend refused the step.</source>
        <translation>后台拒绝了此操作。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="36"/>
        <source>a reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="37"/>
        <source>a note</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="38"/>
        <source>a department</source>
        <translation>承办单位</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="39"/>
        <source>the extra time</source>
        <translation>延期时长</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="40"/>
        <source>a score</source>
        <translation>评分</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="41"/>
        <source>the case it duplicates</source>
        <translation>所重复的事件</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="49"/>
        <source>%1 needs %2.</source>
        <translation>“%1”需要填写%2。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="58"/>
        <location filename="../../console/refusal_words.py" line="135"/>
        <source>%1 is %2 now: it cannot be given “%3”.</source>
        <translation>%1 当前为“%2”，不能“%3”。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="66"/>
        <source>A %1 may not %2.</source>
        <translation>%1无权“%2”。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="75"/>
        <source>The case is outside what you may see.</source>
        <translation>该事件不在您的管辖范围内。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="76"/>
        <source>An extension has already been asked for.</source>
        <translation>已申请过延期。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="77"/>
        <source>No extension was asked for.</source>
        <translation>没有待审批的延期申请。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="78"/>
        <source>It is already with a task force.</source>
        <translation>已升级至专班，不能再升级。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="79"/>
        <source>The score is a whole number from 1 to 5.</source>
        <translation>评分为 1 至 5 的整数。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="80"/>
        <source>Choose an open case of the same category to merge into.</source>
        <translation>请选择同类别、仍在办理中的事件进行合并。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="81"/>
        <source>The password is too weak: at least 10 characters, letters and digits both, 5 of them different.</source>
        <translation>密码强度不够：至少 10 位，须同时含字母和数字，且至少 5 个不同字符。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="82"/>
        <source>That login is taken (letter case aside).</source>
        <translation>该登录名已被使用(不区分大小写)。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="83"/>
        <source>An administrator cannot disable themselves or give up their own role.</source>
        <translation>管理员不能停用自己，也不能改变自己的角色。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="84"/>
        <source>The only auditor cannot be disabled or given another role: add another auditor first.</source>
        <translation>唯一的审计员不能停用或改变角色：请先新增一位审计员。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="85"/>
        <source>This role needs the user&apos;s person in the township (their department, village or grid).</source>
        <translation>该角色须关联辖区内的人员(以确定其部门、村或网格)。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="86"/>
        <source>There is no such person in the township.</source>
        <translation>辖区内没有该人员。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="87"/>
        <source>There is no such user.</source>
        <translation>没有该用户。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="88"/>
        <source>A login is letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;, up to 32.</source>
        <translation>登录名只能由字母、数字、“.”、“_”或“-”组成，最多 32 位。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="89"/>
        <source>The name is 1 to 64 characters.</source>
        <translation>姓名须为 1 至 64 个字。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="90"/>
        <source>Assisting departments are other departments of the township, each once, ten at most.</source>
        <translation>协办单位须为本镇的其他部门，不得重复，最多 10 个。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="91"/>
        <source>A text is too long (500 characters at most).</source>
        <translation>内容过长(最多 500 字)。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="92"/>
        <source>The step was sent with something it does not take.</source>
        <translation>该操作带有不应有的内容，未执行。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="126"/>
        <source>%1: select a case first.</source>
        <translation>“%1”：请先在队列中选择一个事件。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="130"/>
        <source>%1: wait for the answer to the step already sent.</source>
        <translation>“%1”：上一步操作正在等待后台应答，请稍候。</translation>
    </message>
    <message>
        <location filename="../../console/refusal_words.py" line="140"/>
        <source>%1 is not possible for %2 now.</source>
        <translation>%2 当前不能“%1”。</translation>
    </message>
</context>
<context>
    <name>TerritoryView</name>
    <message>
        <location filename="../../console/widgets/map_territory.py" line="286"/>
        <source>Open cases per grid</source>
        <translation>各网格在办事件数</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_territory.py" line="287"/>
        <source>Overdue share per grid</source>
        <translation>各网格超期占比</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_territory.py" line="290"/>
        <source>On-time rate per grid (this month)</source>
        <translation>各网格按期办结率(本月)</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_territory.py" line="293"/>
        <source>Grids not patrolled today (red)</source>
        <translation>今日未巡查的网格(红)</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_territory.py" line="312"/>
        <source>waiting for the grid figures</source>
        <translation>等待网格指标</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_territory.py" line="333"/>
        <source>patrolled %1</source>
        <translation>已巡查 %1</translation>
    </message>
    <message>
        <location filename="../../console/widgets/map_territory.py" line="334"/>
        <source>not yet %1</source>
        <translation>未巡查 %1</translation>
    </message>
</context>
<context>
    <name>TownshipFilesDialog</name>
    <message>
        <location filename="../../console/widgets/township_files_dialog.py" line="49"/>
        <location filename="../../console/widgets/township_files_dialog.py" line="81"/>
        <location filename="../../console/widgets/township_files_dialog.py" line="157"/>
        <source>Township files</source>
        <translation>乡镇资料</translation>
    </message>
    <message>
        <location filename="../../console/widgets/township_files_dialog.py" line="51"/>
        <source>The folder with township.xlsx and its boundaries</source>
        <translation>存放 township.xlsx 及边界文件的文件夹</translation>
    </message>
    <message>
        <location filename="../../console/widgets/township_files_dialog.py" line="52"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/township_files_dialog.py" line="54"/>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <location filename="../../console/widgets/township_files_dialog.py" line="56"/>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <location filename="../../console/widgets/township_files_dialog.py" line="60"/>
        <source>Choose the folder, then Check.</source>
        <translation>先选择文件夹,再点“检查”。</translation>
    </message>
    <message>
        <location filename="../../console/widgets/township_files_dialog.py" line="93"/>
        <source>Checking on the backend&apos;s machine…</source>
        <translation>正在后台机器上检查…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/township_files_dialog.py" line="122"/>
        <source>%1 (%2): %3 villages, %4 grids, %5 people, %6 cameras, %7 categories</source>
        <translation>%1(%2):%3 个村社,%4 个网格,%5 人,%6 路摄像头,%7 类事件</translation>
    </message>
    <message>
        <location filename="../../console/widgets/township_files_dialog.py" line="132"/>
        <source>%1 problems: nothing can be applied until they are mended.</source>
        <translation>%1 个问题:改正之前不能应用。</translation>
    </message>
    <message>
        <location filename="../../console/widgets/township_files_dialog.py" line="137"/>
        <source>… and %1 more</source>
        <translation>……另有 %1 个</translation>
    </message>
    <message>
        <location filename="../../console/widgets/township_files_dialog.py" line="143"/>
        <source>No problems; nothing to change.</source>
        <translation>没有问题;与现行资料相同,无需应用。</translation>
    </message>
    <message>
        <location filename="../../console/widgets/township_files_dialog.py" line="148"/>
        <source>No problems. Applying makes these changes on every console:</source>
        <translation>没有问题。应用后,所有席位将同时更新如下:</translation>
    </message>
    <message>
        <location filename="../../console/widgets/township_files_dialog.py" line="155"/>
        <source>Apply these files as the township&apos;s new version, on every console at once?</source>
        <translation>将这些资料作为乡镇新版本应用,所有席位同时更新?</translation>
    </message>
    <message>
        <location filename="../../console/widgets/township_files_dialog.py" line="163"/>
        <source>Applying…</source>
        <translation>正在应用…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/township_files_dialog.py" line="175"/>
        <source>Nothing to change.</source>
        <translation>无需更改。</translation>
    </message>
    <message>
        <location filename="../../console/widgets/township_files_dialog.py" line="178"/>
        <source>Applied as version %1: every console is taking it in now.</source>
        <translation>已应用为第 %1 版:各席位正在更新。</translation>
    </message>
    <message>
        <location filename="../../console/widgets/township_files_dialog.py" line="188"/>
        <source>Another version was applied since this check: check again.</source>
        <translation>检查之后已有新版本应用,请重新检查。</translation>
    </message>
</context>
<context>
    <name>TownshipMap</name>
    <message>
        <location filename="../../console/widgets/map_stack.py" line="29"/>
        <source>… %1 more: filter the queue to them</source>
        <translation>… 另有 %1 件:按此处筛选队列</translation>
    </message>
</context>
<context>
    <name>UrgentAlert</name>
    <message>
        <location filename="../../console/widgets/urgent_alert.py" line="44"/>
        <source>Acknowledge</source>
        <translation>知道了</translation>
    </message>
    <message>
        <location filename="../../console/widgets/urgent_alert.py" line="61"/>
        <source>No new urgent case waiting</source>
        <translation>暂无待确认的紧急事件</translation>
    </message>
    <message>
        <location filename="../../console/widgets/urgent_alert.py" line="107"/>
        <source>New urgent cases: %1</source>
        <translation>新紧急事件：%1</translation>
    </message>
    <message>
        <location filename="../../console/widgets/urgent_alert.py" line="110"/>
        <source>and %1 more</source>
        <translation>等另%1件</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <location filename="../../console/widgets/user_dialogs.py" line="44"/>
        <source>Optional: the person&apos;s code, e.g. P0001</source>
        <translation>选填：人员编号，如 P0001</translation>
    </message>
    <message>
        <location filename="../../console/widgets/user_dialogs.py" line="54"/>
        <source>At least %1 characters, not only digits or letters</source>
        <translation>至少 %1 位，不能全是数字或全是字母</translation>
    </message>
    <message>
        <location filename="../../console/widgets/user_dialogs.py" line="60"/>
        <source>Login</source>
        <translation>登录名</translation>
    </message>
    <message>
        <location filename="../../console/widgets/user_dialogs.py" line="61"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../console/widgets/user_dialogs.py" line="62"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../console/widgets/user_dialogs.py" line="63"/>
        <source>Person</source>
        <translation>人员编号</translation>
    </message>
    <message>
        <location filename="../../console/widgets/user_dialogs.py" line="69"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../console/widgets/user_dialogs.py" line="70"/>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <location filename="../../console/widgets/user_dialogs.py" line="91"/>
        <source>Give a login.</source>
        <translation>请填写登录名。</translation>
    </message>
    <message>
        <location filename="../../console/widgets/user_dialogs.py" line="93"/>
        <source>Give the name shown and recorded.</source>
        <translation>请填写姓名(显示并记入日志)。</translation>
    </message>
    <message>
        <location filename="../../console/widgets/user_dialogs.py" line="96"/>
        <source>This role needs the person&apos;s code (their department, village or grid).</source>
        <translation>该角色须填写人员编号(以确定其部门、村或网格)。</translation>
    </message>
    <message>
        <location filename="../../console/widgets/user_dialogs.py" line="100"/>
        <source>The password needs at least %1 characters.</source>
        <translation>密码至少需要 %1 位。</translation>
    </message>
    <message>
        <location filename="../../console/widgets/user_dialogs.py" line="104"/>
        <source>The password needs letters and digits both.</source>
        <translation>密码须同时含字母和数字。</translation>
    </message>
    <message>
        <location filename="../../console/widgets/user_dialogs.py" line="106"/>
        <source>The password needs at least %1 different characters.</source>
        <translation>密码至少需要 %1 个不同字符。</translation>
    </message>
    <message>
        <location filename="../../console/widgets/user_dialogs.py" line="110"/>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>VideoTile</name>
    <message>
        <location filename="../../console/widgets/video_tile.py" line="122"/>
        <source>No camera</source>
        <translation>未配置摄像头</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_tile.py" line="125"/>
        <source>No signal · reconnecting…</source>
        <translation>无信号 · 正在重连…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_tile.py" line="126"/>
        <source>Connecting…</source>
        <translation>连接中…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_tile.py" line="144"/>
        <source>Behind by %1 s</source>
        <translation>延迟 %1 秒</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_tile.py" line="145"/>
        <source>%1 fps</source>
        <translation>%1 帧/秒</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_tile.py" line="146"/>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_tile.py" line="148"/>
        <source>Live · %1 fps</source>
        <translation>实时 · %1 帧/秒</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_tile.py" line="150"/>
        <source>sub stream: the machine is short of CPU</source>
        <translation>子码流：本机算力不足</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_tile.py" line="152"/>
        <source>sub stream: the main stream is not available</source>
        <translation>子码流：主码流不可用</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_tile.py" line="184"/>
        <source>No signal</source>
        <translation>无信号</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_tile.py" line="187"/>
        <source>No signal since %1</source>
        <translation>自 %1 起无信号</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_tile.py" line="191"/>
        <source>Reconnecting in %1 s</source>
        <translation>%1 秒后重连</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_tile.py" line="132"/>
        <source>Not authorised: check the camera&apos;s user and password</source>
        <translation>未授权：请核对摄像头用户名和密码</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_tile.py" line="134"/>
        <source>Bad address: this is not a stream we can open</source>
        <translation>地址无效：无法打开此视频流</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_tile.py" line="136"/>
        <source>No such channel: the camera has no stream at this address</source>
        <translation>无此通道：摄像机在此地址没有视频流</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_tile.py" line="220"/>
        <source>Save a snapshot…</source>
        <translation>保存截图…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_tile.py" line="221"/>
        <source>Attach a snapshot to the selected case</source>
        <translation>截图附加到选中事件</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_tile.py" line="224"/>
        <source>Merge with the tile to the right</source>
        <translation>与右侧画面合并</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_tile.py" line="225"/>
        <source>Merge with the tile below</source>
        <translation>与下方画面合并</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_tile.py" line="226"/>
        <source>Split into single tiles</source>
        <translation>拆分为单个画面</translation>
    </message>
</context>
<context>
    <name>VideoWall</name>
    <message>
        <location filename="../../console/widgets/video_wall.py" line="93"/>
        <source>Video wall</source>
        <translation>视频墙</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_wall.py" line="97"/>
        <source>Wall layout</source>
        <translation>画面布局</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_wall.py" line="98"/>
        <source>Acknowledge alarm</source>
        <translation>确认告警</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_wall.py" line="102"/>
        <source>Tour</source>
        <translation>轮巡</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_wall.py" line="104"/>
        <source>Cycle the tiles through every camera</source>
        <translation>各画面依次轮巡全部摄像头</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_wall.py" line="108"/>
        <source>Saved layouts</source>
        <translation>已存布局</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_wall.py" line="278"/>
        <source>Acknowledge alarm: %1</source>
        <translation>确认告警：%1</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_wall.py" line="391"/>
        <source>Save this layout…</source>
        <translation>保存当前布局…</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_wall.py" line="401"/>
        <source>Save layout</source>
        <translation>保存布局</translation>
    </message>
    <message>
        <location filename="../../console/widgets/video_wall.py" line="401"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
</context>
</TS>
