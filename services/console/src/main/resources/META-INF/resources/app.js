// alfer console: pages drawn from the services' views, kept live by the console's server-sent
// events (/api/events: campaigns, jobs, vendors, health). Routes are the part after '#'.
"use strict";

const esc = Charts.esc;
const live = { campaigns: null, jobs: null, vendors: null, health: null };
const view = document.getElementById("view");
let detail = { id: null, signature: null, data: null };

// ---- plumbing --------------------------------------------------------------------------------

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = { error: "not_json", message: text }; }
  if (!response.ok) {
    const error = new Error((body && body.message) || response.statusText);
    error.reason = body && body.error;
    error.status = response.status;
    throw error;
  }
  return body;
}

function pct(v) {
  const n = v === null || v === undefined ? NaN : Number(v);
  return Number.isNaN(n) ? "–" : (n * 100).toFixed(1) + "%";
}

function badge(text) {
  return `<span class="badge ${esc(text || "")}">${esc(text || "–")}</span>`;
}

function failure(e) {
  return `<div class="error">${esc(e.reason ? e.reason + ": " : "")}${esc(e.message)}</div>`;
}

function route() {
  const hash = location.hash.replace(/^#\/?/, "");
  const [page, ...rest] = hash.split("/");
  return { page: page || "campaigns", arg: rest.map(decodeURIComponent).join("/") || null };
}

function connect() {
  const indicator = document.getElementById("live");
  const source = new EventSource("api/events");
  source.onopen = () => { indicator.className = "live on"; indicator.textContent = "live"; };
  source.onerror = () => { indicator.className = "live off"; indicator.textContent = "reconnecting"; };
  for (const name of Object.keys(live)) {
    source.addEventListener(name, event => {
      live[name] = JSON.parse(event.data);
      onLive(name);
    });
  }
}

function onLive(name) {
  const { page, arg } = route();
  if (page === "campaigns" && !arg && name === "campaigns") { renderCampaigns(); }
  else if (page === "campaigns" && arg && name === "campaigns") { refreshCampaign(arg); }
  else if (page === "pretraining" && name === "jobs") { renderPretraining(); }
  else if (page === "vendors" && name === "vendors") { renderVendors(); }
  else if (page === "health" && name === "health") { renderHealth(); }
}

function render() {
  const { page, arg } = route();
  for (const a of document.querySelectorAll("#nav a[data-route]")) {
    a.classList.toggle("active", a.dataset.route === page);
  }
  detail = { id: null, signature: null, data: null };
  switch (page) {
    case "campaigns": return arg ? refreshCampaign(arg, true) : renderCampaigns();
    case "new": return renderForm();
    case "datasets": return arg ? renderDataset(arg) : renderDatasets();
    case "pretraining": return renderPretraining();
    case "vendors": return renderVendors();
    case "health": return renderHealth();
    default: view.innerHTML = `<div class="error">no page ${esc(page)}</div>`;
  }
}

function unavailable(data) {
  return data && !Array.isArray(data) && data.error ? `<div class="error">${esc(data.message || data.error)}</div>` : null;
}

function waiting(data) {
  return data === null ? `<p class="muted">waiting for the first update…</p>` : unavailable(data);
}

// ---- campaigns -------------------------------------------------------------------------------

function lastAccuracy(c) {
  const evaluated = (c.rounds || []).filter(r => r.testAccuracy !== null && r.testAccuracy !== undefined);
  return evaluated.length ? evaluated[evaluated.length - 1].testAccuracy : null;
}

function accuracySeries(c, index) {
  return {
    name: c.campaignId,
    color: Charts.PALETTE[index % Charts.PALETTE.length],
    points: (c.rounds || []).filter(r => r.testAccuracy !== null && r.testAccuracy !== undefined)
      .map(r => [r.labelledTotal, r.testAccuracy]),
  };
}

const compared = new Set();

function renderCampaigns() {
  const note = waiting(live.campaigns);
  if (note) { view.innerHTML = `<h2>Campaigns</h2>${note}`; return; }
  const campaigns = live.campaigns;
  if (!compared.size) { campaigns.slice(0, 4).forEach(c => compared.add(c.campaignId)); }
  const rows = campaigns.map(c => `
    <tr data-campaign="${esc(c.campaignId)}">
      <td><input type="checkbox" class="compare" value="${esc(c.campaignId)}" ${compared.has(c.campaignId) ? "checked" : ""} aria-label="compare"></td>
      <td><a href="#/campaigns/${encodeURIComponent(c.campaignId)}">${esc(c.campaignId)}</a></td>
      <td>${esc(c.spec.dataset)}</td>
      <td>${esc(c.spec.initialStrategy)} → ${esc(c.spec.strategy)}${c.spec.baseModelId ? ", pre-trained" : ""}</td>
      <td>${badge(c.state)} ${badge(c.phase)}</td>
      <td class="num">${(c.rounds || []).length ? c.rounds[c.rounds.length - 1].round : "–"} / ${c.spec.rounds}</td>
      <td class="num">${c.labelledTotal}</td>
      <td class="num">${pct(lastAccuracy(c))}</td>
    </tr>`).join("");
  const chosen = campaigns.filter(c => compared.has(c.campaignId));
  const maxRounds = Math.max(0, ...chosen.map(c => (c.rounds || []).length));
  let side = "";
  if (chosen.length) {
    side = `<table id="side-by-side"><tr><th>round</th>${chosen.map(c => `<th class="num">${esc(c.campaignId)}<br><span class="muted">labelled · accuracy</span></th>`).join("")}</tr>`;
    for (let r = 0; r < maxRounds; r++) {
      side += `<tr><td>${r}</td>${chosen.map(c => {
        const round = (c.rounds || [])[r];
        return `<td class="num">${round ? `${round.labelledTotal === null || round.labelledTotal === undefined ? "–" : round.labelledTotal} · ${pct(round.testAccuracy)}` : ""}</td>`;
      }).join("")}</tr>`;
    }
    side += "</table>";
  }
  view.innerHTML = `
    <h2>Campaigns</h2>
    <div class="panel">
      <table id="campaigns">
        <tr><th title="compare">⇄</th><th>campaign</th><th>dataset</th><th>strategy</th><th>state</th><th class="num">round</th><th class="num">labelled</th><th class="num">accuracy</th></tr>
        ${rows || `<tr><td colspan="8" class="muted">no campaign yet: <a href="#/new">start one</a></td></tr>`}
      </table>
    </div>
    <div class="grid">
      <div class="panel"><h3>Test accuracy against labels</h3>
        ${Charts.line(chosen.map((c, i) => accuracySeries(c, i)), { xLabel: "labelled images", yLabel: "test accuracy", yMin: 0, yMax: 1, percent: true, integerX: true, id: "accuracy-chart" })}
      </div>
      <div class="panel"><h3>Side by side</h3>${side || `<p class="muted">tick campaigns to compare them</p>`}</div>
    </div>`;
  for (const box of view.querySelectorAll("input.compare")) {
    box.addEventListener("change", () => {
      if (box.checked) { compared.add(box.value); } else { compared.delete(box.value); }
      renderCampaigns();
    });
  }
}

function signature(c) {
  return c ? [c.state, c.phase, c.message, c.labelledTotal, c.updatedAt, (c.rounds || []).length].join("|") : null;
}

async function refreshCampaign(id, first) {
  const summary = Array.isArray(live.campaigns) ? live.campaigns.find(c => c.campaignId === id) : null;
  const sig = signature(summary);
  if (!first && detail.id === id && sig === detail.signature) { return; }
  detail.id = id;
  detail.signature = sig;
  try {
    const campaign = await getJson(`api/campaigns/${encodeURIComponent(id)}`);
    let taxonomy = null;
    try { taxonomy = (await getJson(`api/datasets/${encodeURIComponent(campaign.spec.dataset)}`)).taxonomy; } catch (e) { taxonomy = null; }
    if (route().arg === id) { renderCampaign(campaign, taxonomy); }
  } catch (e) {
    view.innerHTML = `<h2>Campaign ${esc(id)}</h2>${failure(e)}`;
  }
}

function renderCampaign(c, taxonomy) {
  const classes = taxonomy || (c.rounds.find(r => r.perClassAccuracy && r.perClassAccuracy.length) || { perClassAccuracy: [] }).perClassAccuracy.map((_, i) => "class " + i);
  const current = c.rounds.length ? c.rounds[c.rounds.length - 1].round : 0;
  const id = encodeURIComponent(c.campaignId);
  const rounds = c.rounds.slice().reverse().map(r => {
    const selected = (r.selected || []);
    const shown = selected.slice(0, 60);
    const thumbs = shown.map(s => `
      <figure><img loading="lazy" src="api/images/${encodeURIComponent(c.spec.dataset)}/${encodeURIComponent(s.imageId)}" alt="${esc(s.imageId)}" title="${esc(s.imageId)}">
      ${Number(s.score).toFixed(3)}</figure>`).join("");
    const perClass = r.perClassAccuracy && r.perClassAccuracy.length
      ? Charts.bars(classes, r.perClassAccuracy) : `<p class="muted">not evaluated yet</p>`;
    const confusion = r.confusion && r.confusion.length ? confusionTable(r.confusion, classes) : "";
    return `
      <div class="panel round" data-round="${r.round}">
        <h3>Round ${r.round}</h3>
        <div class="grid">
          <dl class="kv">
            <dt>selected</dt><dd>${selected.length}</dd>
            <dt>labelled</dt><dd class="round-labelled">${r.labelled}${r.labelledTotal ? ` (${r.labelledTotal} in all)` : ""}</dd>
            <dt>unanswered</dt><dd>${(r.unanswered || []).length}</dd>
            <dt>test accuracy</dt><dd class="round-accuracy">${pct(r.testAccuracy)}</dd>
            <dt>model</dt><dd>${esc(r.modelId || "–")}</dd>
            <dt>strategy</dt><dd>${esc(r.provenance ? r.provenance.strategy : "")} (seed ${esc(r.provenance ? r.provenance.seed : "")})</dd>
          </dl>
          <div><h3>Accuracy per class</h3>${perClass}${confusion}</div>
        </div>
        <h3>Selected images and their scores${selected.length > shown.length ? ` (first ${shown.length} of ${selected.length})` : ""}</h3>
        <div class="thumbs">${thumbs || `<span class="muted">none yet</span>`}</div>
      </div>`;
  }).join("");
  const controls = c.state === "running"
    ? `<button class="secondary" data-action="pause">Pause</button> <button class="secondary" data-action="cancel">Cancel</button>`
    : c.state === "paused" ? `<button class="secondary" data-action="resume">Resume</button> <button class="secondary" data-action="cancel">Cancel</button>` : "";
  view.innerHTML = `
    <h2>Campaign ${esc(c.campaignId)}</h2>
    <div class="grid">
      <div class="panel">
        <dl class="kv">
          <dt>state</dt><dd id="campaign-state">${badge(c.state)}</dd>
          <dt>phase</dt><dd id="campaign-phase">${badge(c.phase)}</dd>
          <dt>round</dt><dd id="campaign-round">round ${current} of ${c.spec.rounds}</dd>
          <dt>now</dt><dd id="campaign-message">${esc(c.message || "")}</dd>
          <dt>labelled</dt><dd id="campaign-labelled">${c.labelledTotal}</dd>
          <dt>dataset</dt><dd><a href="#/datasets/${encodeURIComponent(c.spec.dataset)}">${esc(c.spec.dataset)}</a> (pool ${c.spec.poolSize})</dd>
          <dt>strategy</dt><dd>${esc(c.spec.initialStrategy)} for round 0, then ${esc(c.spec.strategy)}</dd>
          <dt>encoder</dt><dd>${c.spec.baseModelId ? esc(c.spec.baseModelId) : "from scratch"}</dd>
          <dt>sizes</dt><dd>${c.spec.resolvedInitialSize} initial, ${c.spec.resolvedBudgetPerRound} per round${c.spec.totalBudget ? `, at most ${c.spec.totalBudget}` : ""}</dd>
          <dt>vendors</dt><dd>${esc((c.spec.vendors || []).join(", "))} (${c.spec.annotationsPerImage} per image)</dd>
        </dl>
        <p>${controls}</p>
        <p class="downloads">
          <a href="api/campaigns/${id}/labels?format=csv" download>labels (CSV)</a>
          <a href="api/campaigns/${id}/labels?format=label-studio" download>labels (Label Studio JSON)</a>
          <a href="api/campaigns/${id}/labelled-set.zip" download>labelled set (image folders, zip)</a>
          <a href="api/campaigns/${id}/model.onnx" download>final model (ONNX)</a>
        </p>
      </div>
      <div class="panel"><h3>Test accuracy against labels</h3>
        ${Charts.line([accuracySeries(c, 0)], { xLabel: "labelled images", yLabel: "test accuracy", yMin: 0, yMax: 1, percent: true, integerX: true, id: "campaign-chart" })}
      </div>
    </div>
    ${rounds}`;
  for (const b of view.querySelectorAll("button[data-action]")) {
    b.addEventListener("click", async () => {
      b.disabled = true;
      const response = await fetch(`api/campaigns/${id}/${b.dataset.action}`, { method: "POST" });
      if (!response.ok) { const body = await response.json().catch(() => ({})); alert(`${body.error || response.status}: ${body.message || ""}`); }
      refreshCampaign(c.campaignId, true);
    });
  }
}

function confusionTable(matrix, classes) {
  const max = Math.max(1, ...matrix.flat());
  const head = `<tr><th>true \\ predicted</th>${classes.map(n => `<th>${esc(n)}</th>`).join("")}</tr>`;
  const body = matrix.map((row, i) => `<tr><th>${esc(classes[i] || i)}</th>${row.map(v => `<td style="background: rgba(47,111,222,${(v / max * 0.8).toFixed(2)})">${v}</td>`).join("")}</tr>`).join("");
  return `<h3>Confusion matrix</h3><table class="confusion">${head}${body}</table>`;
}

// ---- the campaign form -------------------------------------------------------------------------

const STRATEGIES = ["random", "entropy", "margin", "least-confidence", "bald", "badge", "glister", "coreset", "deepfool", "typiclust", "probcover"];
const INITIAL = ["random", "typiclust", "probcover", "coreset"];

async function renderForm() {
  let datasets = [];
  let encoders = [];
  try { datasets = await getJson("api/datasets"); } catch (e) { datasets = []; }
  try { encoders = (await getJson("api/jobs")).filter(j => j.kind === "pretrain" && j.state === "succeeded"); } catch (e) { encoders = []; }
  const option = (v, label) => `<option value="${esc(v)}">${esc(label || v)}</option>`;
  view.innerHTML = `
    <h2>New campaign</h2>
    <div class="panel">
      <p class="muted">The request goes to the select service as it is: it is checked exactly as <code>POST /campaigns</code> checks it, and a refusal says why.</p>
      <form class="campaign" id="campaign-form" novalidate>
        <label>campaign id <input name="campaignId" placeholder="generated when empty"></label>
        <label>dataset <select name="dataset">${option("", "–")}${datasets.map(d => option(d.name, `${d.name} (${d.images} images)`)).join("")}</select></label>
        <label>base encoder <select name="baseModelId">${option("", "none: from scratch")}${encoders.map(j => option(j.modelId || j.jobId, `${j.modelId || j.jobId} (${j.dataset})`)).join("")}</select></label>
        <label>initial strategy <select name="initialStrategy">${INITIAL.map(s => option(s)).join("")}</select></label>
        <label>strategy <select name="strategy">${STRATEGIES.map(s => option(s)).join("")}</select></label>
        <label>strategy parameters <input name="strategyParameters" placeholder="name=value, … (e.g. samples=20)"></label>
        <label>initial size <input name="initialSize" type="number" inputmode="numeric" placeholder="images"></label>
        <label>or initial fraction <input name="initialFraction" type="number" step="any" placeholder="of the pool, e.g. 0.1"></label>
        <label>budget per round <input name="budgetPerRound" type="number" inputmode="numeric" placeholder="images"></label>
        <label>or budget fraction <input name="budgetFraction" type="number" step="any" placeholder="of the pool, e.g. 0.05"></label>
        <label>rounds <input name="rounds" type="number" inputmode="numeric" value="3"></label>
        <label>total budget <input name="totalBudget" type="number" inputmode="numeric" placeholder="0 = none"></label>
        <label>fine-tuning preset <select name="finetunePreset">${option("", "the trainer's default")}${option("cpu-fast")}${option("paper")}</select></label>
        <label>encoder preset <select name="encoderPreset">${option("", "the trainer's default")}${option("tiny")}${option("small")}${option("resnet18")}</select></label>
        <label>fine-tuning epochs at most <input name="finetuneMaxEpochs" type="number" inputmode="numeric" placeholder="0 = the preset's"></label>
        <label>seed <input name="seed" type="number" inputmode="numeric" value="1"></label>
        <label>vendors <input name="vendors" placeholder="label's default vendors"></label>
        <label>annotations per image <input name="annotationsPerImage" type="number" inputmode="numeric" value="1"></label>
        <label>an unanswered image <select name="onUnanswered">${option("skip", "skip it (back to the pool)")}${option("reassign", "reassign to the next vendor")}</select></label>
        <div><button type="submit" id="campaign-submit">Start the campaign</button></div>
      </form>
      <div id="form-result" aria-live="polite"></div>
    </div>`;
  const form = document.getElementById("campaign-form");
  form.addEventListener("submit", async event => {
    event.preventDefault();
    const result = document.getElementById("form-result");
    const body = {};
    for (const [key, value] of new FormData(form).entries()) {
      const v = String(value).trim();
      if (!v) { continue; }
      const input = form.elements[key];
      if (key === "vendors") { body.vendors = v.split(",").map(s => s.trim()).filter(Boolean); }
      else if (key === "strategyParameters") {
        // name=value pairs; a pair without "=" goes as it is, for select to refuse with its reason
        body.strategyParameters = Object.fromEntries(v.split(",").map(p => p.trim()).filter(Boolean).map(p => {
          const i = p.indexOf("=");
          return i < 0 ? [p, ""] : [p.slice(0, i).trim(), p.slice(i + 1).trim()];
        }));
      }
      else if (input.type === "number") { body[key] = Number(v); }
      else { body[key] = v; }
    }
    document.getElementById("campaign-submit").disabled = true;
    try {
      const response = await fetch("api/campaigns", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      const answer = await response.json().catch(() => ({ error: "not_json", message: "the console answered " + response.status }));
      if (response.ok) {
        result.innerHTML = `<div class="success" id="form-accepted">campaign ${esc(answer.campaignId)} ${response.status === 201 ? "started" : "exists already"}</div>`;
        location.hash = `#/campaigns/${encodeURIComponent(answer.campaignId)}`;
      } else {
        result.innerHTML = `<div class="error" id="form-refusal"><strong class="reason">${esc(answer.error)}</strong>: <span class="message">${esc(answer.message)}</span></div>`;
      }
    } finally {
      const button = document.getElementById("campaign-submit");
      if (button) { button.disabled = false; }
    }
  });
}

// ---- datasets --------------------------------------------------------------------------------

async function renderDatasets() {
  view.innerHTML = `<h2>Datasets</h2><p class="muted">loading…</p>`;
  try {
    const datasets = await getJson("api/datasets");
    view.innerHTML = `<h2>Datasets</h2>` + (datasets.length ? datasets.map(d => datasetPanel(d, true)).join("") : `<p class="muted">no dataset yet</p>`);
  } catch (e) {
    view.innerHTML = `<h2>Datasets</h2>${failure(e)}`;
  }
}

function datasetPanel(d, link) {
  const rows = d.classes.map(c => `<tr><td>${esc(c.name)}</td><td class="num">${c.pool}</td><td class="num">${c.test}</td><td class="num">${c.pool + c.test}</td></tr>`).join("");
  const splits = Object.entries(d.splits || {}).map(([k, v]) => `${esc(k)} ${v}`).join(", ");
  return `
    <div class="panel dataset" data-dataset="${esc(d.name)}">
      <h3>${link ? `<a href="#/datasets/${encodeURIComponent(d.name)}">${esc(d.name)}</a>` : esc(d.name)}</h3>
      <p class="muted">${d.images} images, ${d.width}×${d.height} grayscale, ${esc(splits)}${d.layout ? `, imported as ${esc(d.layout)}` : ""}</p>
      <table><tr><th>class</th><th class="num">pool</th><th class="num">test</th><th class="num">total</th></tr>${rows}</table>
    </div>`;
}

async function renderDataset(name) {
  try {
    const [d, samples] = await Promise.all([getJson(`api/datasets/${encodeURIComponent(name)}`), getJson(`api/datasets/${encodeURIComponent(name)}/samples`)]);
    const gallery = d.taxonomy.map((cls, i) => {
      const ids = (samples.classes || {})[String(i)] || [];
      return `<div class="panel gallery-class"><h3>${esc(cls)}</h3><div class="thumbs">${ids.map(id =>
        `<figure><img loading="lazy" src="api/images/${encodeURIComponent(name)}/${encodeURIComponent(id)}" alt="${esc(cls)}" title="${esc(id)}"></figure>`).join("") || `<span class="muted">no labelled image</span>`}</div></div>`;
    }).join("");
    view.innerHTML = `<h2>Dataset ${esc(name)}</h2>${datasetPanel(d, false)}<h3>Samples per class</h3><div class="grid">${gallery}</div>`;
  } catch (e) {
    view.innerHTML = `<h2>Dataset ${esc(name)}</h2>${failure(e)}`;
  }
}

// ---- pre-training ------------------------------------------------------------------------------

function renderPretraining() {
  const note = waiting(live.jobs);
  if (note) { view.innerHTML = `<h2>Pre-training</h2>${note}`; return; }
  const jobs = live.jobs.filter(j => j.kind === "pretrain").reverse();
  view.innerHTML = `<h2>Pre-training</h2>` + (jobs.map(j => {
    const history = j.history || [];
    return `
      <div class="panel job" data-job="${esc(j.jobId)}">
        <h3>${esc(j.jobId)} ${badge(j.state)}</h3>
        <p class="muted">${esc(j.dataset)} · epoch ${j.epoch} of ${j.epochs}${j.state === "running" ? ` · ${Math.round(j.imagesPerSecond)} images/s · ETA ${Math.round(j.etaSeconds)} s` : ""}${j.message ? ` · ${esc(j.message)}` : ""}</p>
        <div class="grid">
          <div><h3>Loss per epoch</h3>${Charts.line([{ name: "NT-Xent loss", points: history.map(h => [h.epoch, h.loss]) }], { xLabel: "epoch", yLabel: "loss", integerX: true })}</div>
          <div><h3>Representation quality per epoch</h3>${Charts.line([
            { name: "k-NN accuracy", points: history.map(h => [h.epoch, h.knnAccuracy]) },
            { name: "linear probe", points: history.map(h => [h.epoch, h.linearProbeAccuracy]) }],
            { xLabel: "epoch", yLabel: "accuracy on the test split", yMin: 0, yMax: 1, percent: true, integerX: true })}</div>
        </div>
      </div>`;
  }).join("") || `<p class="muted">no pre-training job yet</p>`);
}

// ---- vendors -----------------------------------------------------------------------------------

function renderVendors() {
  const note = waiting(live.vendors);
  if (note) { view.innerHTML = `<h2>Vendors</h2>${note}`; return; }
  const rows = live.vendors.map(v => {
    const refused = Object.entries(v.refused || {}).map(([k, n]) => `${esc(k)} ${n}`).join(", ") || "none";
    return `<tr data-vendor="${esc(v.vendor)}"><td>${esc(v.vendor)}</td><td class="num">${v.issued}</td><td class="num">${v.open}</td><td class="num">${v.answered}</td><td class="num">${v.expired}</td><td>${refused}</td><td class="num">${pct(v.agreement)}</td></tr>`;
  }).join("");
  view.innerHTML = `<h2>Vendors</h2><div class="panel"><table id="vendors">
    <tr><th>vendor</th><th class="num">tasks out</th><th class="num">open</th><th class="num">answered</th><th class="num">expired</th><th>refused, by reason</th><th class="num">agreement</th></tr>${rows}</table>
    <p class="muted">Agreement: the share of a vendor's answers that match the reconciled label.</p></div>`;
}

// ---- health ------------------------------------------------------------------------------------

function renderHealth() {
  const note = waiting(live.health);
  if (note) { view.innerHTML = `<h2>Health</h2>${note}`; return; }
  const rows = live.health.map(s => {
    const checks = (s.checks || []).map(c => {
      // the messaging checks list every channel: their names say enough unless one is down
      const detailed = c.status !== "UP" || !String(c.name).startsWith("SmallRye");
      const data = c.data && detailed ? Object.entries(c.data).filter(([, v]) => typeof v !== "object").map(([k, v]) => `${esc(k)}=${esc(v)}`).join(" ") : "";
      return `${badge(c.status)} ${esc(c.name)} <span class="muted">${data}</span>`;
    }).join("<br>");
    return `<tr data-service="${esc(s.service)}"><td>${esc(s.service)}</td><td>${badge(s.status)}</td><td class="muted">${esc(s.url)}</td><td>${checks || esc(s.error || "")}</td></tr>`;
  }).join("");
  view.innerHTML = `<h2>Health</h2><div class="panel"><table id="health"><tr><th>service</th><th>status</th><th>at</th><th>checks</th></tr>${rows}</table></div>`;
}

window.addEventListener("hashchange", render);
connect();
render();
