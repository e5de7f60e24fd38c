// The supervisor's dashboard: polls the HTTP API once a second and redraws. No build step, no
// library: the page must work from the supervisor's jar alone.
'use strict';

const cell = (text, cls) => {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
};

const button = (label, cls, onClick) => {
  const b = document.createElement('button');
  b.textContent = label;
  b.className = cls;
  b.addEventListener('click', onClick);
  const td = document.createElement('td');
  td.appendChild(b);
  return td;
};

async function api(method, path) {
  const response = await fetch(path, {method, headers: {Accept: 'application/json'}});
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error((body && body.error) || response.status);
  return body;
}

function sparkline(samples) {
  const max = Math.max(1, ...samples);
  const step = 160 / Math.max(1, samples.length - 1);
  const points = samples.map((v, i) => `${i * step},${28 - (v / max) * 26}`).join(' ');
  return `<svg class="spark" viewBox="0 0 160 28"><polyline points="${points}"/></svg>`;
}

// Counters and the chart come from the pool's history, which the supervisors write to Kafka and
// read back, so they go on across restarts and cover every supervisor of the pool. Before any
// history has been read (or if Kafka refused it), this supervisor's own counters stand in.
function drawPools(pools, histories) {
  const body = document.querySelector('#pools tbody');
  body.replaceChildren(...pools.map(pool => {
    const tr = document.createElement('tr');
    tr.dataset.pool = pool.name;
    const history = histories.get(pool.name);
    const w = pool.workers, t = history && history.runs > 0 ? history.tasks : pool.tasks;
    const rates = history ? history.samples.map(s => s.tasksPerSecond) : [];
    // The newest step is still filling up: show the last whole one.
    const rate = rates.length > 1 ? rates[rates.length - 2] : 0;
    tr.append(cell(pool.name), cell(pool.state, pool.state),
      cell(`${w.IDLE} / ${w.BUSY} / ${w.STARTING}`, 'workers'), cell(pool.queued, 'num queued'),
      cell(t.OK || 0, 'num ok'), cell(t.FAILED || 0, 'num failed'), cell(t.TIMED_OUT || 0, 'num timed-out'),
      cell(t.CRASHED || 0, 'num crashed'), cell(t.CANCELLED || 0, 'num cancelled'),
      cell(Math.round(pool.avgTaskMillis), 'num'));
    const chart = cell('', 'rate');
    chart.innerHTML = `${sparkline(rates.slice(0, -1))} ${rate.toFixed(1)}`;
    tr.append(chart, button('drain', 'drain', () => {
      if (confirm(`Drain pool ${pool.name} on this supervisor?`)) api('POST', `pools/${pool.name}/drain`);
    }));
    return tr;
  }));
}

async function histories(pools) {
  const byPool = new Map();
  for (const pool of pools) {
    byPool.set(pool.name, await api('GET', `pools/${pool.name}/history`).catch(() => null));
  }
  return byPool;
}

async function drawWorkers(pools) {
  const rows = [];
  for (const pool of pools) {
    for (const w of await api('GET', `pools/${pool.name}/workers`)) {
      const tr = document.createElement('tr');
      tr.append(cell(pool.name), cell(w.pid, 'num'),
        cell(w.rssBytes < 0 ? '?' : (w.rssBytes / 1048576).toFixed(1), 'num'), cell(w.ageSeconds, 'num'));
      rows.push(tr);
    }
  }
  document.querySelector('#workers tbody').replaceChildren(...rows);
}

async function drawDeadLetters(pools) {
  const rows = [];
  for (const pool of pools) {
    const page = await api('GET', `pools/${pool.name}/dead-letters?limit=20`);
    for (const d of page.deadLetters.slice().reverse()) {
      const tr = document.createElement('tr');
      tr.dataset.pool = pool.name;
      tr.dataset.offset = d.offset;
      tr.dataset.taskId = d.taskId;
      tr.append(cell(pool.name), cell(d.offset, 'num'), cell(d.taskId), cell(d.task), cell(d.reason),
        cell(d.attempts, 'num'), cell(d.error || '', 'error'), cell(d.replayOf || '', 'replay-of'),
        button('replay', 'replay', async e => {
          e.target.disabled = true;
          await api('POST', `pools/${pool.name}/dead-letters/${d.offset}/replay`);
          e.target.textContent = 'replayed';
        }),
        button('discard', 'discard', async e => {
          if (!confirm(`Discard dead letter ${d.offset} (task ${d.taskId}) of pool ${pool.name}? It cannot be replayed after.`)) return;
          e.target.disabled = true;
          await api('POST', `pools/${pool.name}/dead-letters/${d.offset}/discard`);
          tr.remove();
        }));
      rows.push(tr);
    }
  }
  document.querySelector('#dead-letters tbody').replaceChildren(...rows);
}

function fillPools(pools) {
  const select = document.getElementById('cancel-pool');
  const names = pools.map(p => p.name);
  if ([...select.options].map(o => o.value).join() !== names.join()) {
    select.replaceChildren(...names.map(n => Object.assign(document.createElement('option'), {value: n, textContent: n})));
  }
}

document.getElementById('cancel').addEventListener('submit', async e => {
  e.preventDefault();
  const pool = document.getElementById('cancel-pool').value;
  const task = document.getElementById('cancel-task').value.trim();
  const status = document.getElementById('cancel-status');
  try {
    await api('POST', `pools/${encodeURIComponent(pool)}/tasks/${encodeURIComponent(task)}/cancel`);
    status.textContent = `cancel requested for ${task}`;
  } catch (err) {
    status.textContent = `cancel failed: ${err.message}`;
  }
});

let tick = 0;
async function refresh() {
  try {
    const pools = await api('GET', 'pools');
    drawPools(pools, await histories(pools));
    fillPools(pools);
    await drawWorkers(pools);
    if (tick++ % 3 === 0) await drawDeadLetters(pools);
    document.getElementById('status').textContent = `updated ${new Date().toLocaleTimeString()}`;
  } catch (e) {
    document.getElementById('status').textContent = `supervisor not answering: ${e.message}`;
  } finally {
    setTimeout(refresh, 1000);
  }
}
refresh();
