// TrainKit schedule explorer: builds the forms from the scheduler library's metadata (/api/kinds), sends
// the whole state to /api/update on every change and swaps in the SVG charts the server renders.
// Plain hand-written JS, no libraries.
'use strict';

const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

// The run and problem settings; names match the server's field names so errors land next to the field.
const run = { steps: 300, base_lr: 0.15, weight_decay: 5e-4, momentum: 0.9, x_in_epochs: false };
const problems = { lambda_max: 10, lambda_min: 1, noise: 1 };
let kinds = [];          // [{name, description, fields: [...]}] from /api/kinds
let schedules = [];      // [{kind, label, params: {name: value}, unit, stepsPerEpoch, wdMode, momentumMode}]

// ---- form building -------------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

// A slider and a text box for one number. The text box accepts anything, so an out-of-range or
// malformed value reaches the library and its own message comes back.
function numberField({ name, label, meta, min, max, step, value, onChange }) {
  const slider = el('input', { type: 'range', min, max, step, 'data-param': name });
  const box = el('input', { type: 'text', class: 'value', inputmode: 'decimal', 'data-param': name });
  slider.value = value; box.value = value;
  slider.addEventListener('input', () => { box.value = slider.value; onChange(Number(slider.value)); });
  box.addEventListener('input', () => {
    const text = box.value.trim();
    const n = Number(text);
    if (text !== '' && Number.isFinite(n)) slider.value = n;
    onChange(text === '' ? undefined : (Number.isFinite(n) ? n : text));
  });
  return fieldShell(name, label, meta, el('div', { class: 'inputs' }, slider, box));
}

function fieldShell(name, label, meta, input) {
  return el('div', { class: 'field', 'data-field': name },
    el('label', {}, label, ' ', el('span', { class: 'meta' }, meta || '')),
    input,
    el('div', { class: 'field-error', 'data-for': name }));
}

function selectField(name, label, options, value, onChange) {
  const select = el('select', { 'data-param': name });
  for (const o of options) select.append(el('option', { value: o }, o));
  select.value = value;
  select.addEventListener('change', () => onChange(select.value));
  return fieldShell(name, label, '', select);
}

// Run and problem settings are numbers the page owns: a non-number is flagged here and not sent.
function numeric(name, apply) {
  return v => {
    const error = document.querySelector(`#controls .field[data-field="${name}"] .field-error`);
    if (typeof v !== 'number') { error.textContent = `${name} must be a number`; return; }
    error.textContent = '';
    apply(v);
    update();
  };
}

function buildRunFields() {
  const box = document.getElementById('run-fields');
  box.replaceChildren(
    numberField({ name: 'steps', label: 'steps', meta: 'optimizer steps simulated', min: 10, max: 2000, step: 10, value: run.steps,
      onChange: numeric('steps', v => { run.steps = v; buildSchedules(); }) }), // time sliders span the run
    numberField({ name: 'base_lr', label: 'base lr', meta: "the optimizer's initial lr", min: 0.001, max: 0.5, step: 0.001, value: run.base_lr,
      onChange: numeric('base_lr', v => { run.base_lr = v; }) }),
    numberField({ name: 'momentum', label: 'momentum β', meta: 'SGD momentum / Adam β1 / heavy ball', min: 0, max: 0.99, step: 0.01, value: run.momentum,
      onChange: numeric('momentum', v => { run.momentum = v; }) }),
    numberField({ name: 'weight_decay', label: 'weight decay', meta: 'base value (for co-scheduling)', min: 0, max: 0.01, step: 0.0001, value: run.weight_decay,
      onChange: numeric('weight_decay', v => { run.weight_decay = v; }) }),
    fieldShell('x_in_epochs', 'lr chart x axis in epochs', '(declared steps_per_epoch)',
      checkbox(run.x_in_epochs, v => { run.x_in_epochs = v; update(); })));
}

function checkbox(value, onChange) {
  const c = el('input', { type: 'checkbox' });
  c.checked = value;
  c.addEventListener('change', () => onChange(c.checked));
  return c;
}

function buildProblemFields() {
  document.getElementById('problem-fields').replaceChildren(
    numberField({ name: 'lambda_max', label: 'λ_max', meta: 'stiff eigenvalue of the quadratic', min: 1, max: 100, step: 0.5, value: problems.lambda_max,
      onChange: numeric('lambda_max', v => { problems.lambda_max = v; }) }),
    numberField({ name: 'lambda_min', label: 'λ_min', meta: 'flat eigenvalue', min: 0.05, max: 10, step: 0.05, value: problems.lambda_min,
      onChange: numeric('lambda_min', v => { problems.lambda_min = v; }) }),
    numberField({ name: 'noise', label: 'gradient noise σ', meta: 'for panel 3', min: 0, max: 5, step: 0.05, value: problems.noise,
      onChange: numeric('noise', v => { problems.noise = v; }) }));
}

// The slider range of a parameter: its declared range when it has one, otherwise a span suited to its unit.
function sliderRange(f, schedule) {
  const start = typeof f.start === 'number' ? f.start : 0;
  const horizon = schedule.unit === 'epochs' ? run.steps / (schedule.stepsPerEpoch || 1) : run.steps;
  const min = f.min ?? 0;
  let max = f.max;
  if (max == null) {
    max = { Time: Math.max(horizon, start), Lr: Math.max(1, 2 * start), Ratio: 1, Momentum: 1 }[f.unit] ?? Math.max(10, 4 * start);
  }
  const integer = f.type === 'Integer' || f.unit === 'Time' || f.unit === 'Count';
  return { min, max, step: integer && max - min >= 20 ? 1 : (max - min) / 1000 };
}

function parameterField(f, schedule) {
  const meta = [f.unit !== 'None' ? f.unit.toLowerCase() : '', f.range, f.default != null ? `default ${JSON.stringify(f.default)}` : (f.defaultNote || 'required')]
    .filter(Boolean).join(' · ');
  const set = v => { if (v === undefined) delete schedule.params[f.name]; else schedule.params[f.name] = v; update(); };
  const value = schedule.params[f.name] ?? f.start;
  switch (f.type) {
    case 'Number': case 'Integer': case 'NumberOrPerGroup': {
      const r = sliderRange(f, schedule);
      return numberField({ name: f.name, label: f.name, meta, ...r, value, onChange: set });
    }
    case 'Boolean': return fieldShell(f.name, f.name, meta, checkbox(value, set));
    case 'Choice': return selectField(f.name, f.name, f.choices, value, set);
    default: {
      // Lists and nested schedules: JSON text; what does not parse is sent as text for the library to reject.
      const area = el('textarea', { rows: f.type === 'Schedules' ? 6 : 1, 'data-param': f.name });
      area.value = JSON.stringify(value, null, f.type === 'Schedules' ? 1 : 0);
      area.addEventListener('input', () => { try { set(JSON.parse(area.value)); } catch { set(area.value); } });
      return fieldShell(f.name, f.name, meta, area);
    }
  }
}

function newSchedule(kindName, overrides = {}) {
  const kind = kinds.find(k => k.name === kindName);
  const params = {};
  // Start from the defaults shown in the form, so what is drawn is what the form says.
  for (const f of kind.fields) if (f.start != null) params[f.name] = f.start;
  return { kind: kindName, label: kindName, params: { ...params, ...overrides }, unit: 'steps', stepsPerEpoch: 50, wdMode: 'fixed', momentumMode: 'auto' };
}

function buildSchedules() {
  const box = document.getElementById('schedules');
  box.replaceChildren(...schedules.map((s, i) => scheduleCard(s, i)));
}

function scheduleCard(s, i) {
  const kind = kinds.find(k => k.name === s.kind);
  const kindSelect = el('select', { class: 'kind', 'data-param': 'kind' });
  for (const k of kinds) kindSelect.append(el('option', { value: k.name }, k.name));
  kindSelect.value = s.kind;
  kindSelect.addEventListener('change', () => { schedules[i] = newSchedule(kindSelect.value); buildSchedules(); update(); });
  const remove = el('button', { type: 'button', title: 'remove this schedule', onclick: () => { schedules.splice(i, 1); buildSchedules(); update(); } }, '✕');
  if (schedules.length === 1) remove.disabled = true;
  const label = el('input', { type: 'text', class: 'label', value: s.label, size: 12, title: 'label on the charts' });
  label.addEventListener('input', () => { s.label = label.value; update(); });
  const card = el('div', { class: 'card', 'data-schedule': i, style: `--color: ${palette[i % palette.length]}` },
    el('div', { class: 'head' }, kindSelect, label, remove),
    el('div', { class: 'description' }, kind.description + (kind.needsMetric ? ' (metric-free part shown: no plateau here)' : '')),
    ...kind.fields.map(f => parameterField(f, s)),
    selectField('unit', 'time unit', ['steps', 'epochs'], s.unit, v => { s.unit = v; buildSchedules(); update(); }),
    ...(s.unit === 'epochs' ? [numberField({ name: 'steps_per_epoch', label: 'steps_per_epoch', meta: 'declared', min: 1, max: 200, step: 1,
      value: s.stepsPerEpoch, onChange: v => { s.stepsPerEpoch = v; update(); } })] : []),
    selectField('weight_decay', 'weight decay coupling', ['fixed', 'follow_schedule', 'constant_product'], s.wdMode, v => { s.wdMode = v; update(); }),
    selectField('momentum', 'momentum coupling', ['auto', 'fixed', 'inverse_to_lr'], s.momentumMode, v => { s.momentumMode = v; update(); }),
    el('div', { class: 'field-error card-error', 'data-for': '' }));
  return card;
}

// ---- talking to the server -----------------------------------------------------------------------

function specOf(s) {
  const spec = { kind: s.kind, params: s.params, unit: s.unit };
  if (s.unit === 'epochs') spec.steps_per_epoch = s.stepsPerEpoch;
  if (s.wdMode !== 'fixed') spec.weight_decay = { mode: s.wdMode };
  if (s.momentumMode !== 'auto') spec.momentum = { mode: s.momentumMode };
  return spec;
}

function request() {
  return {
    steps: run.steps, baseLr: run.base_lr, weightDecay: run.weight_decay, momentum: run.momentum, xInEpochs: run.x_in_epochs,
    lambdaMax: problems.lambda_max, lambdaMin: problems.lambda_min, noise: problems.noise,
    schedules: schedules.map(s => ({ label: s.label || s.kind, spec: specOf(s) })),
  };
}

// One request at a time; changes made meanwhile are coalesced into the next one, so a fast slider never
// queues stale work and the page always ends showing the latest state.
let inFlight = false, pending = false, changedAt = 0, updates = 0;

function update() {
  if (!changedAt) changedAt = performance.now();
  if (inFlight) { pending = true; return; }
  send();
}

async function send() {
  inFlight = true; pending = false;
  document.body.dataset.busy = 'true';
  const started = changedAt || performance.now();
  changedAt = 0;
  try {
    const body = JSON.stringify(request(), (k, v) => (typeof v === 'number' && !Number.isFinite(v)) ? String(v) : v);
    const response = await fetch('/api/update', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    if (!response.ok) throw new Error(`server answered ${response.status}: ${await response.text()}`);
    show(await response.json(), started);
  } catch (e) {
    document.getElementById('global-error').textContent = String(e.message || e);
  } finally {
    inFlight = false;
    if (pending) send(); else document.body.dataset.busy = 'false';
  }
}

function show(data, started) {
  for (const [name, svg] of Object.entries(data.charts)) {
    const box = document.getElementById('chart-' + name);
    if (box) box.innerHTML = svg;
  }
  showErrors(data.errors);
  showSummary(data.summaries, data.limits);
  showExports(data.summaries);
  const roundTrip = performance.now() - started;
  updates++;
  const t = data.timing;
  document.getElementById('timing').textContent =
    `server ${t.totalMs.toFixed(1)} ms (simulate ${t.simulateMs.toFixed(1)}, render ${t.renderMs.toFixed(1)}) · round trip ${roundTrip.toFixed(1)} ms`;
  // For the end-to-end test and anyone measuring: how many updates landed and how long the last one took.
  document.body.dataset.updates = updates;
  document.body.dataset.roundTripMs = roundTrip.toFixed(2);
  document.body.dataset.serverMs = t.totalMs.toFixed(2);
}

function showErrors(errors) {
  for (const e of document.querySelectorAll('.field-error')) e.textContent = '';
  for (const e of document.querySelectorAll('.invalid')) e.classList.remove('invalid');
  for (const error of errors) {
    const scope = error.schedule < 0 ? document.getElementById('controls') : document.querySelector(`.card[data-schedule="${error.schedule}"]`);
    const field = error.param && scope && scope.querySelector(`.field[data-field="${CSS.escape(error.param)}"]`);
    const target = field ? field.querySelector('.field-error')
      : (error.schedule < 0 ? document.getElementById('global-error') : scope.querySelector('.card-error'));
    target.textContent = target.textContent ? target.textContent + '; ' + error.message : error.message;
    if (field) field.classList.add('invalid');
  }
}

function fmt(x) { return x === 0 ? '0' : (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e4 ? x.toExponential(2) : x.toPrecision(3)); }
function lossCell(loss, diverged) { return diverged ? el('td', { class: 'diverged' }, 'diverged') : el('td', {}, fmt(loss)); }

function showSummary(summaries, limits) {
  const table = document.getElementById('summary');
  table.replaceChildren(el('tr', {}, ...['schedule', 'peak lr', 'final lr', 'GD loss', 'heavy-ball loss', 'Adam loss', 'basin (final x)', 'noisy loss']
    .map(h => el('th', {}, h))));
  for (const s of summaries) {
    table.append(el('tr', { 'data-schedule': s.schedule },
      el('td', {}, s.label + (s.endsEarly ? ' (ends early: last lr held)' : '')), el('td', {}, fmt(s.peakLr)), el('td', {}, fmt(s.finalLr)),
      lossCell(s.gdFinalLoss, s.gdDiverged), lossCell(s.heavyBallFinalLoss, s.heavyBallDiverged), lossCell(s.adamFinalLoss, s.adamDiverged),
      el('td', {}, `${s.basin} (${s.basinFinalX.toFixed(2)})`), el('td', {}, fmt(s.noisyFinalLoss))));
  }
  const floor = limits.noiseFloor == null ? 'the base lr is unstable on the noisy quadratic (no floor)' : `constant-lr noise floor ${fmt(limits.noiseFloor)}`;
  document.getElementById('limits').textContent = limits.gradientDescent ?
    `Stability: GD lr < 2/λ_max = ${fmt(limits.gradientDescent)}, heavy ball lr < 2(1+β)/λ_max = ${fmt(limits.heavyBall)}; ` +
    `sharp basin holds only lr < ${fmt(limits.sharpBasin)}, flat basin lr < ${fmt(limits.flatBasin)}; ${floor}.` : '';
}

function showExports(summaries) {
  const box = document.getElementById('exports');
  box.replaceChildren(...summaries.map(s => el('div', { class: 'export', 'data-schedule': s.schedule },
    exportBox(`${s.label}: copy as C#`, 'csharp', s.cSharp), exportBox(`${s.label}: copy as config`, 'config', s.config))));
}

function exportBox(title, kind, text) {
  const area = el('textarea', { readonly: '', class: 'export-' + kind });
  area.value = text;
  const button = el('button', { type: 'button', class: 'copy-' + kind }, 'copy');
  button.addEventListener('click', async () => {
    try { await navigator.clipboard.writeText(text); }
    catch { area.select(); document.execCommand('copy'); }
    button.textContent = 'copied';
    setTimeout(() => { button.textContent = 'copy'; }, 1200);
  });
  return el('div', {}, el('div', {}, title, ' ', button), area);
}

// ---- start ---------------------------------------------------------------------------------------

async function start() {
  kinds = await (await fetch(`/api/kinds?steps=${run.steps}`)).json();
  schedules = [newSchedule('CosineAnnealingLR'), newSchedule('CosineAnnealingWarmRestarts')];
  document.getElementById('add-schedule').addEventListener('click', () => {
    if (schedules.length >= palette.length) return;
    schedules.push(newSchedule('ConstantLR'));
    buildSchedules(); update();
  });
  buildRunFields();
  buildProblemFields();
  buildSchedules();
  update();
}

start();
