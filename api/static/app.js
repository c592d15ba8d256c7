// CarVrooom dashboard: reads /api/v1 every 5 s and renders the selected fleet.
"use strict";

const API = "/api/v1";
const COMPONENTS = ["engine", "cooling", "brakes", "transmission", "battery", "tires"];
const REFRESH_MS = 5000;

const $ = (id) => document.getElementById(id);
const tokenInput = $("token");
const fleetSelect = $("fleet");
tokenInput.value = localStorage.getItem("carvrooom.token") || "";
tokenInput.addEventListener("change", () => {
  localStorage.setItem("carvrooom.token", tokenInput.value.trim());
  refresh(true);
});
fleetSelect.addEventListener("change", () => {
  localStorage.setItem("carvrooom.fleet", fleetSelect.value);
  refresh(false);
});

async function api(path, options = {}) {
  const headers = { Accept: "application/json", ...(options.headers || {}) };
  const token = tokenInput.value.trim();
  if (token) headers.Authorization = "Bearer " + token;
  const response = await fetch(API + path, { ...options, headers });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || response.status + " " + response.statusText);
  return body;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(child ?? ""));
  return node;
}

const time = (ms) => (ms == null ? "—" : new Date(ms).toISOString().replace("T", " ").slice(0, 16) + "Z");
const num = (v, digits = 0) => (v == null ? "—" : Number(v).toFixed(digits));
const rul = (km, days) => (km == null && days == null ? "—" : `${num(km)} km / ${num(days, 1)} d`);

function tile(label, value) {
  return el("div", { class: "tile" }, el("div", { class: "value" }, String(value)), el("div", { class: "label" }, label));
}

function fill(tbody, rows, empty, columns) {
  tbody.replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { class: "muted", colspan: String(columns) }, empty))]));
}

async function loadFleets() {
  const fleets = await api("/fleets");
  const wanted = fleetSelect.value || localStorage.getItem("carvrooom.fleet");
  fleetSelect.replaceChildren(...fleets.map((f) => el("option", { value: f.fleet_id }, `${f.name} (${f.fleet_id})`)));
  if (fleets.some((f) => f.fleet_id === wanted)) fleetSelect.value = wanted;
}

async function renderSummary(fleet) {
  const s = await api(`/fleets/${encodeURIComponent(fleet)}/summary`);
  const open = Object.values(s.open_alerts_by_severity).reduce((a, b) => a + b, 0);
  $("tiles").replaceChildren(
    tile("vehicles", s.vehicles),
    tile("mean score", num(s.mean_score, 1)),
    ...Object.entries(s.components_by_band).map(([band, n]) => tile(`components ${band}`, n)),
    tile("open alerts", open),
    tile("critical alerts", s.open_alerts_by_severity.critical || 0),
    tile("upcoming appointments", s.upcoming_appointments),
    tile("dead letters", s.dead_letters),
  );
}

function healthCell(row) {
  if (!row) return el("td", {}, el("span", { class: "band band-none" }, "—"));
  return el("td", { title: `score ${num(row.score, 1)} · RUL ${rul(row.rul_km, row.rul_days)}` },
    el("span", { class: `band band-${row.band}` }, `${num(row.score)} · ${row.rul_days == null ? "—" : num(row.rul_days) + " d"}`));
}

async function renderVehicles(fleet) {
  const vehicles = (await api(`/vehicles?fleet_id=${encodeURIComponent(fleet)}&limit=100`)).items;
  const health = await Promise.all(vehicles.map((v) => api(`/vehicles/${encodeURIComponent(v.vehicle_id)}/health`).catch(() => null)));
  const table = $("vehicles");
  table.tHead.replaceChildren(el("tr", {}, el("th", {}, "Vehicle"), el("th", {}, "Make / model"), el("th", {}, "Depot"),
    ...COMPONENTS.map((c) => el("th", {}, c))));
  const rows = vehicles.map((v, i) => {
    const byComponent = Object.fromEntries(((health[i] && health[i].components) || []).map((h) => [h.component, h]));
    return el("tr", {}, el("td", {}, v.vehicle_id), el("td", {}, [v.make, v.model].filter(Boolean).join(" ") || "—"),
      el("td", {}, v.home_depot || "—"), ...COMPONENTS.map((c) => healthCell(byComponent[c])));
  });
  fill(table.tBodies[0], rows, "no vehicles", 3 + COMPONENTS.length);
}

async function acknowledge(alertId) {
  const by = prompt("Acknowledge as (your name):");
  if (!by) return;
  const note = prompt("Note (optional):") || undefined;
  try {
    await api(`/alerts/${encodeURIComponent(alertId)}/acknowledge`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ by, note }),
    });
  } catch (e) {
    alert("Not acknowledged: " + e.message);
  }
  refresh(false);
}

async function renderAlerts(fleet) {
  const alerts = (await api(`/alerts?fleet_id=${encodeURIComponent(fleet)}&state=open&limit=50`)).items;
  const rows = alerts.map((a) => el("tr", {}, el("td", {}, time(a.opened_ms)), el("td", {}, a.vehicle_id), el("td", {}, a.component),
    el("td", {}, el("span", { class: `band sev-${a.severity}` }, a.severity)), el("td", {}, num(a.min_score, 1)),
    el("td", {}, rul(a.rul_km, a.rul_days)),
    el("td", {}, a.acknowledged_by ? `ack by ${a.acknowledged_by}` : el("button", { onclick: () => acknowledge(a.alert_id) }, "Acknowledge"))));
  fill($("alerts").tBodies[0], rows, "no open alerts", 7);
}

async function renderAppointments(fleet) {
  const items = (await api(`/appointments?fleet_id=${encodeURIComponent(fleet)}&limit=50`)).items
    .filter((a) => a.status !== "cancelled");
  const rows = items.map((a) => el("tr", {}, el("td", {}, time(a.start_ms)), el("td", {}, a.vehicle_id), el("td", {}, a.depot),
    el("td", {}, a.bay_id), el("td", {}, a.technician_id), el("td", {}, a.components.join(", ")), el("td", {}, a.status)));
  fill($("appointments").tBodies[0], rows, "no upcoming appointments", 7);
}

async function renderClaims(fleet) {
  const claims = (await api(`/warranty/claims?fleet_id=${encodeURIComponent(fleet)}&limit=20`)).items;
  const rows = claims.map((c) => el("tr", {}, el("td", {}, time(c.submitted_ms)), el("td", {}, c.vehicle_id), el("td", {}, c.component),
    el("td", {}, time(c.failed_ms)), el("td", {}, `${num(c.odometer_km)} km`),
    el("td", {}, el("span", { class: `band claim-${c.status}` }, c.status)), el("td", {}, c.reason)));
  fill($("claims").tBodies[0], rows, "no warranty claims", 7);
}

async function renderDeadLetters() {
  const counts = await api("/dead-letters/counts");
  $("dead-letters").replaceChildren(tile("total", counts.total),
    ...Object.entries(counts.by_reason).map(([reason, n]) => tile(reason.replaceAll("_", " "), n)));
}

async function refresh(reloadFleets) {
  const status = $("status");
  try {
    if (reloadFleets || !fleetSelect.value) await loadFleets();
    const fleet = fleetSelect.value;
    const parts = [renderDeadLetters()];
    if (fleet) parts.push(renderSummary(fleet), renderVehicles(fleet), renderAlerts(fleet), renderAppointments(fleet), renderClaims(fleet));
    const results = await Promise.allSettled(parts);
    const failed = results.find((r) => r.status === "rejected");
    status.className = failed ? "error" : "muted";
    status.textContent = failed ? failed.reason.message : "updated " + new Date().toLocaleTimeString();
  } catch (e) {
    status.className = "error";
    status.textContent = e.message;
  }
}

refresh(true);
setInterval(() => refresh(false), REFRESH_MS);
