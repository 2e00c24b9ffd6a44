// alfer labelling page: one task at a time from the label service's vendor API (through the
// console, with the vendor's own API key), answered by button or key 1-9; S skips, Z undoes.
//
// Undo: the label service keeps the first answer of a task as final, so an answer is held here for
// the console's undo window (GET api/settings) before it is sent; Z takes back the newest answer
// still held. Once sent, it cannot be taken back.
"use strict";

(() => {
  const esc = Charts.esc;
  const $ = id => document.getElementById(id);
  const store = window.sessionStorage;

  let undoWindow = 3000;
  let open = [];                  // the vendor's open tasks, as last read
  const held = [];                // answers waiting to be sent: {task, label, timer}
  const done = new Map();         // taskId -> "campaign/round" of answers held or sent
  const skipped = new Set();
  let current = null;             // the task on screen
  let forced = null;              // a task brought back by undo
  let lastShown = null;           // the last task shown: its round's progress stays on screen
  let refreshTimer = null;

  function credentials() {
    const key = store.getItem("alfer.key");
    return key ? { vendor: store.getItem("alfer.vendor") || "", key, annotator: store.getItem("alfer.annotator") || "" } : null;
  }

  function say(text, kind) {
    $("message").innerHTML = text ? `<div class="${kind || "notice"}" id="message-text">${text}</div>` : "";
  }

  async function api(path, options = {}) {
    const c = credentials();
    const headers = Object.assign({ Accept: "application/json", Authorization: `Bearer ${c ? c.key : ""}` }, options.headers || {});
    const response = await fetch(path, Object.assign({}, options, { headers }));
    let body = null;
    const text = await response.text();
    try { body = text ? JSON.parse(text) : null; } catch (e) { body = { error: "not_json", message: text }; }
    return { status: response.status, ok: response.ok, body };
  }

  // ---- signing in ---------------------------------------------------------------------------

  function showSignin(error) {
    clearInterval(refreshTimer);
    $("work").hidden = true;
    $("signin").hidden = false;
    $("who").textContent = "";
    $("vendor").value = store.getItem("alfer.vendor") || "";
    $("annotator").value = store.getItem("alfer.annotator") || "";
    $("signin-error").innerHTML = error ? `<div class="error">${esc(error)}</div>` : "";
  }

  $("signin-form").addEventListener("submit", async event => {
    event.preventDefault();
    store.setItem("alfer.vendor", $("vendor").value.trim());
    store.setItem("alfer.key", $("api-key").value.trim());
    store.setItem("alfer.annotator", $("annotator").value.trim());
    $("api-key").value = "";
    await start();
  });

  $("signout").addEventListener("click", () => {
    held.splice(0).forEach(h => clearTimeout(h.timer));
    store.removeItem("alfer.key");
    showSignin();
  });

  async function start() {
    const c = credentials();
    if (!c) { showSignin(); return; }
    const first = await api("api/vendor/tasks");
    if (first.status === 401) {
      store.removeItem("alfer.key");
      showSignin(`The API key was not accepted for vendor ${c.vendor}: ${first.body && first.body.message || "unauthorized"}`);
      return;
    }
    $("signin").hidden = true;
    $("work").hidden = false;
    $("who").textContent = `${c.vendor}${c.annotator ? " · " + c.annotator : ""}`;
    if (first.ok) { open = sortTasks(first.body); }
    show();
    clearInterval(refreshTimer);
    refreshTimer = setInterval(refresh, 3000);
  }

  // ---- tasks --------------------------------------------------------------------------------

  function sortTasks(tasks) {
    return (tasks || []).slice().sort((a, b) =>
      a.campaignId.localeCompare(b.campaignId) || a.round - b.round || a.imageId.localeCompare(b.imageId) || a.slot - b.slot);
  }

  function roundOf(task) { return `${task.campaignId}/${task.round}`; }

  async function refresh() {
    const answer = await api("api/vendor/tasks");
    if (answer.status === 401) { showSignin("The API key is no longer accepted."); return; }
    if (!answer.ok) {
      say(`The label service did not give the tasks (${esc(answer.body && answer.body.error || answer.status)}); trying again.`, "error");
      return;
    }
    open = sortTasks(answer.body);
    if (current && !done.has(current.taskId) && !open.some(t => t.taskId === current.taskId)) {
      const expired = Date.parse(current.deadline) <= Date.now();
      say(expired
        ? `The task for image ${esc(current.imageId)} expired (its deadline passed) before you answered it; the next task is shown.`
        : `The task for image ${esc(current.imageId)} was answered elsewhere; the next task is shown.`, "notice");
      current = null;
    }
    show();
  }

  function next() {
    if (forced) { return forced; }
    const now = Date.now();
    return open.find(t => !done.has(t.taskId) && !skipped.has(t.taskId) && Date.parse(t.deadline) > now) || null;
  }

  function show() {
    const task = next();
    const changed = !current || !task || task.taskId !== current.taskId;
    current = task;
    if (task) { lastShown = task; }
    progress();
    pendingLine();
    $("empty").hidden = !!task;
    document.querySelector(".stage").hidden = !task;
    $("unskip").hidden = !skipped.size;
    if (!task) { return; }
    if (!changed) { return; }
    const image = $("task-image");
    image.src = task.imageUrl;
    image.dataset.taskId = task.taskId;
    image.dataset.imageId = task.imageId;
    $("task-meta").innerHTML = `campaign <strong>${esc(task.campaignId)}</strong> · round ${task.round} · image ${esc(task.imageId.slice(0, 12))}…` +
      `${task.annotationsWanted > 1 ? ` · annotation ${task.slot + 1} of ${task.annotationsWanted}` : ""} · answer before ${new Date(task.deadline).toLocaleString()}`;
    $("classes").innerHTML = task.taxonomy.classes.map((name, i) =>
      `<button class="class" data-label="${esc(name)}">${i < 9 ? `<kbd>${i + 1}</kbd>` : ""}${esc(name)}</button>`).join("");
    for (const b of $("classes").querySelectorAll("button.class")) {
      b.addEventListener("click", () => answer(b.dataset.label));
    }
  }

  function progress() {
    const task = current || lastShown;
    if (!task) {
      $("progress-text").textContent = done.size ? `${done.size} answered in this session` : "no open task";
      $("progress-bar").style.width = done.size ? "100%" : "0";
      return;
    }
    const key = roundOf(task);
    const answered = [...done.values()].filter(r => r === key).length;
    const left = open.filter(t => roundOf(t) === key && !done.has(t.taskId)).length;
    const total = answered + left;
    $("progress-text").innerHTML = `Campaign <strong>${esc(task.campaignId)}</strong>, round ${task.round}: <span id="progress-count">${answered} of ${total}</span> answered` +
      `${skipped.size ? ` · ${skipped.size} skipped` : ""}`;
    $("progress-bar").style.width = total ? `${Math.round(answered / total * 100)}%` : "0";
  }

  function pendingLine() {
    $("pending").textContent = held.length
      ? `${held.length} answer${held.length > 1 ? "s" : ""} waiting ${Math.round(undoWindow / 1000)} s before sending — Z undoes the last`
      : "";
  }

  // ---- answering, skipping, undoing -------------------------------------------------------------

  function answer(label) {
    const task = current;
    if (!task) { return; }
    forced = null;
    const entry = { task, label, timer: null };
    entry.timer = setTimeout(() => send(entry), undoWindow);
    held.push(entry);
    done.set(task.taskId, roundOf(task));
    say("");
    show();
  }

  function skip() {
    if (!current) { return; }
    skipped.add(current.taskId);
    forced = null;
    show();
  }

  function undo() {
    const entry = held.pop();
    if (!entry) {
      say("Your last answer was sent already: the label service keeps a task's first answer, so it cannot be undone.", "notice");
      return;
    }
    clearTimeout(entry.timer);
    done.delete(entry.task.taskId);
    forced = entry.task;
    current = null;
    say(`Answer “${esc(entry.label)}” taken back.`, "notice");
    show();
  }

  async function send(entry) {
    const c = credentials();
    if (!c) { return; }
    const body = { label: entry.label };
    if (c.annotator) { body.annotator = c.annotator; }
    let result;
    try {
      result = await api(`api/vendor/tasks/${encodeURIComponent(entry.task.taskId)}/result`, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    } catch (e) {
      result = { status: 0, ok: false, body: { error: "network", message: String(e) } };
    }
    const i = held.indexOf(entry);
    if (result.status === 0 || result.status === 502 || result.status === 503) {
      // the label service is away: keep the answer and try again
      say(`The label service did not take the answer yet (${esc(result.body && result.body.error || result.status)}); trying again.`, "error");
      entry.timer = setTimeout(() => send(entry), 2000);
      return;
    }
    if (i >= 0) { held.splice(i, 1); }
    const image = esc(entry.task.imageId.slice(0, 12));
    if (result.ok) {
      // counted in done already
    } else if (result.status === 410) {
      done.delete(entry.task.taskId);
      say(`The task for image ${image}… expired before your answer arrived: it was not counted, and the task will be given out again.`, "error");
    } else if (result.status === 409) {
      say(`The task for image ${image}… was answered elsewhere already: your answer was not counted.`, "notice");
    } else if (result.status === 404) {
      done.delete(entry.task.taskId);
      say(`The task for image ${image}… is not yours or no longer exists: your answer was not counted.`, "error");
    } else if (result.status === 401) {
      showSignin("The API key is no longer accepted; your last answer was not sent.");
      return;
    } else {
      done.delete(entry.task.taskId);
      say(`The answer for image ${image}… was refused: ${esc(result.body && result.body.error || result.status)} — ${esc(result.body && result.body.message || "")}`, "error");
    }
    show();
  }

  $("skip").addEventListener("click", skip);
  $("undo").addEventListener("click", undo);
  $("unskip").addEventListener("click", () => { skipped.clear(); show(); });

  document.addEventListener("keydown", event => {
    if ($("work").hidden || event.target.tagName === "INPUT" || event.altKey || event.metaKey) { return; }
    const key = event.key.toLowerCase();
    if (/^[1-9]$/.test(key) && !event.ctrlKey) {
      const classes = current ? current.taxonomy.classes : [];
      const index = Number(key) - 1;
      if (index < classes.length) { event.preventDefault(); answer(classes[index]); }
    } else if (key === "s" && !event.ctrlKey) {
      event.preventDefault(); skip();
    } else if (key === "z" || key === "backspace") {
      event.preventDefault(); undo();
    }
  });

  window.addEventListener("beforeunload", event => {
    if (held.length) { event.preventDefault(); event.returnValue = ""; }
  });

  fetch("api/settings").then(r => r.json()).then(s => { undoWindow = s.undoWindowMillis; }).catch(() => {}).finally(start);
})();
