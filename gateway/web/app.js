// The field's phone page: sign in, my cases, a case (start, reply with photos, ask for more
// time, return, verify), report an incident with a photo and the phone's position. Plain
// JavaScript against the gateway's /v1 API: nothing to build, nothing from the internet.
"use strict";

const STATES = {
  reported: "待研判", passed_up: "已上报镇级", accepted: "已受理", rejected: "不予受理",
  dispatched: "已派遣", returned: "已退回", in_progress: "处置中", replied: "已反馈",
  verified: "已核查", closed: "已结案", evaluated: "已评价", parked: "挂账", merged: "已合并",
};
const URGENCY = { normal: "一般", urgent: "紧急", very_urgent: "特急" };
const ACTIONS = {  // what the field may do, by the case's state (the backend decides who)
  dispatched: [["start", "开始处置"], ["request_extension", "申请延期"], ["return", "退回"]],
  in_progress: [["reply", "处置反馈"], ["request_extension", "申请延期"]],
  replied: [["verify", "核查通过"], ["reopen", "重新办理"]],
};
const NEEDS = { reply: "note", return: "reason", reopen: "reason", request_extension: "reason" };
const WORDS = {  // the gateway's and the backend's error codes, said in Chinese
  outside_township: "位置不在本镇范围内", too_large: "内容过大", rate_limited: "操作太频繁,请稍后再试",
  unsupported_media_type: "照片格式不支持(请用 JPG、PNG)", login_failed: "账号或密码不对",
  not_allowed: "无权办理此事项", stale_version: "案件已有变化", illegal_transition: "案件当前状态不能这样办理",
  unknown_incident: "找不到该案件", not_signed_in: "登录已过期,请重新登录", conflict: "编号冲突,请重新填写",
};
const MAX_SIDE = 1600;  // photos shrunk on the phone: a case keeps 700 kB a photo at most
let shown = [];  // photos' object URLs on screen, released when the case is left
const $ = (id) => document.getElementById(id);
let token = sessionStorage.getItem("token");
let township = null;
let current = null;  // the case on screen
let position = null;  // the phone's, WGS-84 (the browser's geolocation is)

function say(text, ok) {
  const b = $("banner");
  b.textContent = text; b.className = ok ? "ok" : ""; b.hidden = !text;
}

async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  if (token) headers.Authorization = "Bearer " + token;
  let answer;
  try {
    answer = await fetch(path, Object.assign({}, options, { headers }));
  } catch (e) {
    throw new Error("网络不通,请稍后重试(内容已保留)");
  }
  if (answer.status === 401 && path !== "/v1/session") { signedOut("登录已过期,请重新登录"); }
  if (!answer.ok) {
    let detail = answer.statusText;
    try { const e = (await answer.json()).error; detail = WORDS[e.code] || (e.code === "invalid" ? "填写有误:" + e.detail : e.detail || e.code); } catch (_) {}
    if (answer.status === 503) detail = "指挥室后台暂未应答:可能已受理也可能没有,请稍后原样重试(不会重复)";
    const error = new Error(detail); error.status = answer.status; throw error;
  }
  const kind = answer.headers.get("content-type") || "";
  return kind.includes("json") ? answer.json() : answer.blob();
}

function show(section) {
  for (const id of ["signin", "cases", "case", "report"]) $(id).hidden = id !== section;
  $("tabs").hidden = section === "signin";
  for (const b of document.querySelectorAll("nav button[data-tab]")) {
    b.classList.toggle("on", b.dataset.tab === section || (section === "case" && b.dataset.tab === "cases"));
  }
}

function signedOut(why) {
  token = null; sessionStorage.removeItem("token"); unlocate();
  $("who").textContent = ""; show("signin"); say(why || "");
}

function left(due) {
  if (!due) return ["", false];
  const s = due - Date.now() / 1000, late = s < 0, a = Math.abs(s);
  const d = Math.floor(a / 86400), h = Math.floor((a % 86400) / 3600), m = Math.floor((a % 3600) / 60);
  const text = (d ? d + "天" : "") + (d || h ? h + "小时" : "") + (d ? "" : m + "分");
  return [(late ? "超时 " : "剩余 ") + text, late];
}

async function loadCases() {
  try {
    const { cases } = await api("/v1/cases");
    const list = $("case-list"); list.textContent = "";
    $("cases-note").textContent = cases.length ? "按时限先后" : "暂无案件";
    for (const c of cases) {
      const li = document.createElement("li");
      li.className = c.urgency;
      const [due, late] = left(c.stage_due);
      li.innerHTML = '<div class="top"><span></span><span></span></div><div></div><div class="due"></div>';
      li.children[0].children[0].textContent = c.number + " " + c.category_name;
      li.children[0].children[1].textContent = STATES[c.state] || c.state;
      li.children[1].textContent = [c.village_name, c.grid_name].filter(Boolean).join(" / ") + " · " + c.description;
      li.children[2].textContent = due; li.children[2].classList.toggle("late", late);
      li.onclick = () => openCase(c.id);
      list.appendChild(li);
    }
    say("");
  } catch (e) { say(e.message); }
}

let opening = 0;  // the latest reading of a case wins (an event's and an action's may cross)
async function openCase(id, keepBanner) {
  const mine = ++opening;
  try {
    const detail = await api("/v1/cases/" + encodeURIComponent(id));
    if (mine !== opening) return;
    current = detail.case;
    $("case-title").textContent = current.number + " " + current.category_name;
    const facts = $("case-facts"); facts.textContent = "";
    const [due, late] = left(current.stage_due);
    for (const [k, v] of [["状态", STATES[current.state] || current.state], ["紧急程度", URGENCY[current.urgency]],
      ["地点", [current.village_name, current.grid_name].filter(Boolean).join(" / ")],
      ["承办单位", current.department_name || "—"], ["时限", due || "—"]]) {
      const dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = k; dd.textContent = v; if (k === "时限" && late) dd.className = "due late";
      facts.append(dt, dd);
    }
    $("case-text").textContent = current.description || "";
    const photos = $("case-photos"); photos.textContent = "";
    shown.forEach((u) => URL.revokeObjectURL(u)); shown = [];
    for (const p of detail.photos) {
      const img = document.createElement("img"); img.alt = "照片";
      api(p.url).then((blob) => { img.src = URL.createObjectURL(blob); shown.push(img.src); }).catch(() => {});
      photos.appendChild(img);
    }
    const timeline = $("timeline"); timeline.textContent = "";
    for (const t of detail.timeline) {
      const li = document.createElement("li");
      const when = new Date(t.at * 1000).toLocaleString("zh-CN", { hour12: false });
      const words = t.action === "report" ? "" : (t.args && (t.args.note || t.args.reason || t.args.opinion)) || t.note || "";
      li.textContent = when + " " + (t.actor || "") + " " + (STATES[t.to_state] || t.action) + (words ? ":" + words : "");
      timeline.appendChild(li);
    }
    const actions = $("case-actions"); actions.textContent = "";
    $("action-form").hidden = true;
    for (const [action, label] of ACTIONS[current.state] || []) {
      const b = document.createElement("button"); b.textContent = label;
      if (action === "return" || action === "reopen") b.className = "warn";
      b.onclick = () => { if (action !== "verify" || confirm("确认现场核查通过?")) chooseAction(action, label); };
      actions.appendChild(b);
    }
    show("case"); if (!keepBanner) say("");
  } catch (e) { say(e.message); }
}

function chooseAction(action, label) {
  const form = $("action-form");
  form.dataset.action = action;
  $("action-submit").textContent = label;
  $("action-label").hidden = !NEEDS[action];
  $("duration-label").hidden = action !== "request_extension";
  $("photo-label").hidden = action !== "reply";
  form.hidden = false;
  if (!NEEDS[action]) form.requestSubmit();
}

async function act(event) {
  event.preventDefault();
  const form = event.target, action = form.dataset.action;
  const body = { action, version: current.version };
  if (NEEDS[action]) body[NEEDS[action]] = form.text.value.trim();
  if (action === "request_extension") body.duration = form.duration.value;
  const data = new FormData();
  data.append("action", JSON.stringify(body));
  for (const f of form.photos.files) data.append("photos", await shrunk(f), f.name);
  try {
    const done = await api("/v1/cases/" + encodeURIComponent(current.id) + "/actions", { method: "POST", body: data });
    const failed = done.photos.filter((p) => !p.ok);
    form.reset();
    say(failed.length ? "已提交,但有照片未收下:" + failed[0].detail : "已提交", !failed.length);
    await openCase(current.id, true);
  } catch (e) { say(e.status === 409 ? "案件已有变化,已刷新,请再确认:" + e.message : e.message); if (e.status === 409) openCase(current.id, true); }
}

let watching = null;  // the phone's position followed while signed in: a worker walks all day
function locate() {
  if (!navigator.geolocation) { $("position").textContent = "位置:此设备不能定位,请选村社"; return; }
  if (watching !== null) return;
  watching = navigator.geolocation.watchPosition((p) => {
    position = { lat: p.coords.latitude, lon: p.coords.longitude };
    $("position").textContent = "位置:" + position.lat.toFixed(5) + ", " + position.lon.toFixed(5) + "(±" + Math.round(p.coords.accuracy) + " 米)";
  }, () => { if (!position) $("position").textContent = "位置:未能定位,请选村社"; },
  { enableHighAccuracy: true, maximumAge: 30000, timeout: 30000 });
}

function unlocate() {
  if (watching !== null) navigator.geolocation.clearWatch(watching);
  watching = null; position = null;
}

function newId() {  // crypto.randomUUID is missing on older WebViews
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
}

async function shrunk(file) {  // a phone's 4 MB photo to a JPEG of 1600 px at most
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    if (scale === 1 && file.size < 600000) return file;
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale); canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return await new Promise((done) => canvas.toBlob((b) => done(b || file), "image/jpeg", 0.8));
  } catch (_) { return file; }
}

let pending = null;  // a report not yet confirmed: sent again as it was (same id, same time)
async function report(event) {
  event.preventDefault();
  const form = event.target;
  const content = { category: form.category.value, urgency: form.urgency.value,
    description: form.description.value.trim() };
  if (form.village.value) content.village = form.village.value;
  // sent again: the same id, time and place as first sent (the position moves by meters
  // between tries; a new id then would file the case twice if the first send got through)
  const same = pending && JSON.stringify(pending.content) === JSON.stringify(content);
  if (!same) pending = { content, id: newId(), reported_at: Date.now() / 1000, at: position && Object.assign({ coordinate_system: "WGS-84" }, position) };
  const body = Object.assign({ id: pending.id, reported_at: pending.reported_at }, content, pending.at || {});
  const data = new FormData();
  data.append("report", JSON.stringify(body));
  for (const f of form.photos.files) data.append("photos", await shrunk(f), f.name);
  try {
    const filed = await api("/v1/reports", { method: "POST", body: data });
    pending = null; form.reset();
    const refused = filed.photos.filter((p) => !p.ok);
    const number = filed.number;
    say(refused.length ? "已上报,编号 " + number + ";但有 " + refused.length + " 张照片未收下(" + (WORDS[refused[0].code] || refused[0].detail) + ")" : "已上报,编号 " + number, !refused.length);
  } catch (e) { say(e.message); }
}

async function start() {
  const me = await api("/v1/me");
  $("who").textContent = me.name + " · " + ({ department_handler: "承办人", grid_worker: "网格员", grid_member: "网格员", grid_leader: "网格长", gateway: "系统" }[me.role] || me.role);
  township = await api("/v1/township");
  const cats = document.querySelector("#report-form select[name=category]");
  cats.textContent = "";
  for (const c of township.categories) cats.add(new Option(c.name, c.code));
  const villages = document.querySelector("#report-form select[name=village]");
  for (const v of township.villages) villages.add(new Option(v.name, v.code));
  show("cases"); loadCases(); locate(); listen();
}

async function listen() {  // my cases as they change (GET /v1/events): the list, the case on screen
  const mine = token;
  while (token && token === mine) {
    try {
      const answer = await fetch("/v1/events", { headers: { Authorization: "Bearer " + token } });
      if (answer.status === 401) { if (token === mine) signedOut("登录已失效,请重新登录"); return; }
      if (!answer.ok || !answer.body) throw new Error(String(answer.status));
      const reader = answer.body.getReader(), text = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += text.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end); buffer = buffer.slice(end + 2);
          const data = block.split("\n").find((l) => l.startsWith("data: "));
          if (block.startsWith("event: signed_out")) break;  // asked again: a 401 says so
          if (!block.startsWith("event: case") || !data) continue;
          const said = JSON.parse(data.slice(6));
          if (!$("cases").hidden) loadCases();
          else if (current && current.id === said.id && !$("case").hidden) openCase(said.id, true);
        }
      }
    } catch (_) { /* the gateway restarting, the network gone: listen again shortly */ }
    await new Promise((r) => setTimeout(r, 5000));
  }
}

$("signin-form").onsubmit = async (event) => {
  event.preventDefault();
  const f = event.target;
  try {
    const session = await api("/v1/session", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ user: f.user.value.trim(), password: f.password.value }) });
    token = session.token; sessionStorage.setItem("token", token);
    f.reset(); say(""); await start();
  } catch (e) { say(e.status === 401 ? "账号或密码不对" : e.message); }
};
$("signout").onclick = async () => { try { await api("/v1/session", { method: "DELETE" }); } catch (_) {} signedOut("已退出"); };
$("refresh").onclick = loadCases;
$("back").onclick = () => { show("cases"); loadCases(); };
$("action-form").onsubmit = act;
$("report-form").onsubmit = report;
for (const b of document.querySelectorAll("nav button[data-tab]")) {
  b.onclick = () => { show(b.dataset.tab); if (b.dataset.tab === "cases") loadCases(); };
}
setInterval(() => { if (token && !$("cases").hidden) loadCases(); }, 30000);
if (token) start().catch(() => signedOut("")); else show("signin");
