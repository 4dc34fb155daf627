// The dashboard's live part: the event stream from /dashboard/events, the signup form, replay and the
// demo burst. Everything shown is set with textContent, never parsed as HTML.
(() => {
    'use strict';

    // The steps are whatever the workers have announced: the page starts with the columns and panels
    // the server knew, and grows one when a signup or the figures name a step or a worker it lacks.
    const rows = document.getElementById('signup-rows');
    const header = document.querySelector('#signups thead tr');
    const shown = new Map();
    const latest = Number(document.body.dataset.latest) || 20;

    const byId = id => document.getElementById(id);
    const element = (tag, className, text) => {
        const node = document.createElement(tag);
        if (className) node.className = className;
        if (text !== undefined && text !== null) node.textContent = text;
        return node;
    };

    // Signups: one row each, newest first; UUIDv7 ids sort in the order of arrival.

    function stepCell(step, status) {
        const cell = element('td', 'step state-' + status.state.toLowerCase());
        cell.dataset.step = step;
        cell.append(element('span', 'state', status.state));
        if (status.durationMs !== null && status.durationMs !== undefined) {
            cell.append(' ', element('span', 'duration', status.durationMs + ' ms'));
        }
        if (status.detail) {
            cell.append(element('span', 'detail', status.detail));
        }
        if (status.ambiguous) {
            // An earlier attempt may have done it too: the effect may have happened twice.
            cell.append(element('span', 'ambiguous', 'may have run twice'));
        }
        return cell;
    }

    /** A step the signup does not wait for: announced after the signup was created. */
    function notExpected(step) {
        const cell = element('td', 'step not-expected', '–');
        cell.dataset.step = step;
        return cell;
    }

    function signupRow(signup) {
        const row = element('tr');
        row.dataset.signupId = signup.id;
        const who = element('th');
        who.scope = 'row';
        who.append(element('span', 'email', signup.email),
            element('span', 'time', new Date(signup.createdAt).toLocaleTimeString()));
        row.append(who, element('td', 'user-status status-' + signup.status.toLowerCase(), signup.status));
        columns().forEach(step => row.append(signup.steps[step] ? stepCell(step, signup.steps[step]) : notExpected(step)));
        return row;
    }

    const columns = () => [...header.querySelectorAll('th[data-step]')].map(th => th.dataset.step);

    /** A column for each step the signup has and the table lacks; then every row is drawn again. */
    function addColumns(signup) {
        const missing = Object.keys(signup.steps).filter(step => !columns().includes(step));
        missing.forEach(step => {
            const th = element('th', null, step.charAt(0).toUpperCase() + step.slice(1));
            th.scope = 'col';
            th.dataset.step = step;
            header.append(th);
        });
        if (missing.length) {
            [...rows.rows].forEach(row => row.replaceWith(signupRow(shown.get(row.dataset.signupId))));
        }
    }

    function show(signup) {
        shown.set(signup.id, signup);
        addColumns(signup);
        const fresh = signupRow(signup);
        const existing = rows.querySelector(`tr[data-signup-id="${CSS.escape(signup.id)}"]`);
        if (existing) {
            existing.replaceWith(fresh);
        } else {
            const after = [...rows.rows].find(row => row.dataset.signupId < signup.id);
            rows.insertBefore(fresh, after || null);
            while (rows.rows.length > latest) {
                shown.delete(rows.rows[rows.rows.length - 1].dataset.signupId);
                rows.deleteRow(-1);
            }
        }
    }

    // Workers: one panel each.

    const number = value => (value === null || value === undefined) ? '–' : String(value);

    /** The worker's panel, made from the page's template the first time the figures name it. */
    function panelOf(worker) {
        const existing = document.querySelector(`article[data-worker="${CSS.escape(worker.worker)}"]`);
        if (existing) return existing;
        const panel = byId('worker-panel-template').content.firstElementChild.cloneNode(true);
        panel.dataset.worker = worker.worker;
        panel.setAttribute('aria-labelledby', worker.worker + '-heading');
        const heading = panel.querySelector('h3');
        heading.id = worker.worker + '-heading';
        heading.textContent = worker.worker;
        const button = panel.querySelector('button.replay');
        button.dataset.worker = worker.worker;
        button.textContent = `Replay ${worker.step} parked messages`;
        byId('worker-panels').append(panel);
        return panel;
    }

    function showFigures(figures) {
        byId('figures-problem').textContent = figures.problem || '';
        byId('outbox').textContent = figures.outbox
            ? `${figures.outbox.unpublished} event(s) waiting to be published` : '–';
        figures.workers.forEach(worker => {
            const panel = panelOf(worker);
            const set = (figure, text) => { panel.querySelector(`[data-figure="${figure}"]`).textContent = text; };
            const queue = worker.queue;
            set('ready', queue ? number(queue.ready) : '–');
            set('unacknowledged', queue ? number(queue.unacknowledged) : '–');
            set('consumers', queue ? number(queue.consumers) + (queue.consumers === 0 ? ' (nobody works the queue)' : '') : '–');
            set('retrying', queue ? number(queue.retrying) : '–');
            set('deadLettered', queue ? number(queue.deadLettered) : '–');
            set('results', queue ? `${queue.processed} / ${queue.failed}` : '–');
            set('perSecond', worker.perSecond === null ? '–' : worker.perSecond.toFixed(1));
            const breaker = {CLOSED: 'CLOSED (consuming)', OPEN: 'OPEN (paused)', HALF_OPEN: 'HALF_OPEN (probing)'};
            set('breaker', breaker[worker.breaker] || worker.breaker);
            panel.dataset.breaker = worker.breaker.toLowerCase();
            panel.classList.toggle('parked', !!queue && queue.deadLettered > 0);
        });
    }

    // The stream: the browser reconnects by itself, and every connection starts with a snapshot.

    const events = new EventSource('/dashboard/events');
    events.addEventListener('snapshot', event => {
        const snapshot = JSON.parse(event.data);
        rows.replaceChildren();
        shown.clear();
        snapshot.signups.slice().reverse().forEach(show);
        if (snapshot.figures) showFigures(snapshot.figures);
        byId('connection').textContent = 'Live: changes appear as they happen.';
    });
    events.addEventListener('signup', event => show(JSON.parse(event.data)));
    events.addEventListener('figures', event => showFigures(JSON.parse(event.data)));
    events.addEventListener('error', () => {
        byId('connection').textContent = 'Disconnected: reconnecting…';
    });

    // Answers: a problem's detail and field errors as text.

    async function describe(response) {
        try {
            const problem = await response.json();
            const fields = (problem.errors || []).map(error => `${error.field} ${error.detail}`).join('; ');
            return (problem.detail || problem.title || response.statusText) + (fields ? ` (${fields})` : '');
        } catch (notJson) {
            return `${response.status} ${response.statusText}`;
        }
    }

    async function post(url, body) {
        return fetch(url, {
            method: 'POST',
            headers: {'Content-Type': 'application/json', 'Accept': 'application/json'},
            body: body === undefined ? undefined : JSON.stringify(body)
        });
    }

    byId('signup-form').addEventListener('submit', async event => {
        event.preventDefault();
        const result = byId('signup-result');
        const form = event.target;
        result.textContent = 'Signing up…';
        try {
            const response = await post('/api/signups', {email: byId('email').value, name: byId('name').value});
            if (response.status === 201) {
                const signup = await response.json();
                result.textContent = `Signed up ${signup.email}: signup ${signup.id}. Its steps follow below.`;
                result.dataset.signupId = signup.id;
                form.reset();
            } else {
                result.textContent = 'Not signed up: ' + await describe(response);
            }
        } catch (failure) {
            result.textContent = 'Not signed up: the API did not answer.';
        }
    });

    byId('worker-panels').addEventListener('click', async event => {
        const button = event.target.closest('button.replay');
        if (!button) return;
        const worker = button.dataset.worker;
        const password = byId('admin-password');
        const result = byId('replay-result');
        if (!password.value) {
            result.textContent = 'Type the admin password first.';
            password.focus();
            return;
        }
        result.textContent = `Asking ${worker} to replay…`;
        try {
            const response = await post(`/dashboard/workers/${encodeURIComponent(worker)}/replay`,
                {password: password.value});
            result.textContent = response.ok
                ? `${worker} replayed ${(await response.json()).replayed} parked message(s).`
                : `${worker}: ` + await describe(response);
        } catch (failure) {
            result.textContent = `${worker}: the API did not answer.`;
        }
    });

    const demo = byId('demo-form');
    if (demo) {
        demo.addEventListener('submit', async event => {
            event.preventDefault();
            const result = byId('demo-result');
            const response = await post('/dashboard/demo/burst?count=' + encodeURIComponent(demo.count.value));
            result.textContent = response.status === 202
                ? `Firing ${demo.count.value} signups: watch the queues fill and drain.`
                : 'No burst: ' + await describe(response);
        });
    }
})();
