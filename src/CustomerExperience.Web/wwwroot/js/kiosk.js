// The exit kiosk (/kiosk/{location}): one question per screen, then the comment and the thank-you screen; back to the
// welcome screen after a while so the next person never sees the last one's answers. Every response is kept in
// localStorage under its own id until the server acknowledges it, and re-sent when the network is back.
(() => {
  'use strict';
  // An inactive location: look again now and then, so the survey is back once the location reopens.
  const closed = document.querySelector('[data-kiosk-closed]');
  if (closed) {
    setTimeout(() => location.reload(), Number(closed.dataset.recheckSeconds) * 1000);
    return;
  }
  const root = document.querySelector('[data-kiosk]');
  if (!root) return;

  const config = root.dataset;
  const version = Number(config.version);
  const idleMs = Number(config.idleSeconds) * 1000;
  const thanksMs = Number(config.thanksSeconds) * 1000;
  const queueKey = 'cx.kiosk.queue.' + config.location;
  const screens = [...root.querySelectorAll('[data-screen]')];
  const questions = screens.filter(s => s.dataset.screen === 'question');
  const progress = document.getElementById('progress');
  const progressFill = document.getElementById('progress-fill');
  const comment = document.getElementById('comment');
  const contact = document.getElementById('contact');
  const code = document.getElementById('visit-code');
  const codeProblem = document.getElementById('visit-code-problem');
  const sendAnonymously = document.getElementById('send-anonymously');
  const thanksContact = document.getElementById('thanks-contact');
  const largeText = document.getElementById('large-text');

  let current = 0;
  let answers = {};
  let startedAt = 0;
  let idleTimer = 0;
  let thanksTimer = 0;
  let reloadWhenIdle = false;

  const kind = () => screens[current].dataset.screen;
  const inSurvey = () => kind() === 'question' || kind() === 'comment';

  function show(index) {
    current = index;
    screens.forEach((screen, i) => { screen.hidden = i !== index; });
    const position = questions.indexOf(screens[index]);
    progress.textContent = position >= 0 ? `${position + 1} of ${questions.length}` : kind() === 'comment' ? 'Last step' : '';
    const done = position >= 0 ? position : kind() === 'comment' ? questions.length : 0;
    progressFill.style.width = `${(100 * done) / (questions.length + 1)}%`;
    progressFill.parentElement.hidden = !inSurvey();
    screens[index].querySelector('h1').focus();
    armIdle();
  }

  function armIdle() {
    clearTimeout(idleTimer);
    if (inSurvey()) idleTimer = setTimeout(walkedAway, idleMs);
  }

  function hasSomething() {
    return Object.keys(answers).length > 0 || comment.value.trim() !== '' || contact.checked;
  }

  function response(partial, visitCode) {
    return {
      id: newId(),
      version,
      answers: { ...answers },
      comment: comment.value.trim() || null,
      contactRequested: contact.checked,
      visitCode: visitCode || null,
      seconds: Math.max(0, Math.round((Date.now() - startedAt) / 1000)),
      partial,
    };
  }

  // The customer left mid-survey: keep what they answered, then clear the screen for the next person.
  function walkedAway() {
    if (hasSomething()) {
      const typed = code.value.trim();
      enqueue(response(true, /^\d{6}$/.test(typed) ? typed : null));
    }
    reset();
  }

  function reset() {
    clearTimeout(idleTimer);
    clearTimeout(thanksTimer);
    if (reloadWhenIdle) {
      location.reload();
      return;
    }
    answers = {};
    startedAt = 0;
    root.querySelectorAll('.kiosk-option[aria-pressed="true"]').forEach(b => b.setAttribute('aria-pressed', 'false'));
    comment.value = '';
    contact.checked = false;
    code.value = '';
    codeProblem.textContent = '';
    sendAnonymously.hidden = true;
    thanksContact.hidden = true;
    setLargeText(false);
    show(0);
  }

  function setLargeText(on) {
    document.documentElement.classList.toggle('kiosk-large', on);
    largeText.setAttribute('aria-pressed', String(on));
  }

  async function send(withCode) {
    const typed = withCode ? code.value.trim() : '';
    if (typed && !/^\d{6}$/.test(typed)) {
      codeProblem.textContent = 'A visit code has 6 digits. Please check it, or send your answers without it.';
      sendAnonymously.hidden = false;
      return;
    }
    if (typed && await codeUnknown(typed)) {
      codeProblem.textContent = 'We could not find that code. Please check it, or send your answers without it.';
      sendAnonymously.hidden = false;
      return;
    }
    if (hasSomething()) enqueue(response(false, typed));
    if (contact.checked) {
      thanksContact.textContent = typed
        ? 'We will be in touch about your comment.'
        : 'To hear back from us, please also tell the front desk on your way out.';
      thanksContact.hidden = false;
    }
    show(screens.findIndex(s => s.dataset.screen === 'thanks'));
    thanksTimer = setTimeout(reset, thanksMs);
  }

  // True only when the server says the code names no visit; offline or unsure, the answers go with the code and the
  // server links them if it can.
  async function codeUnknown(typed) {
    if (!navigator.onLine) return false;
    try {
      const reply = await post(config.codeEndpoint, { code: typed });
      return reply.ok && (await reply.json()).found === false;
    } catch {
      return false;
    }
  }

  function post(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { 'Content-Type': 'application/json', RequestVerificationToken: config.token },
      body: JSON.stringify(body),
    });
  }

  // --- the outbox: localStorage until acknowledged ---
  let sending = false;
  let retryTimer = 0;
  let backoff = 1000;

  function queued() {
    try {
      return JSON.parse(localStorage.getItem(queueKey)) || [];
    } catch {
      return [];
    }
  }

  function enqueue(item) {
    localStorage.setItem(queueKey, JSON.stringify([...queued(), item]));
    flush();
  }

  function forget(id) {
    localStorage.setItem(queueKey, JSON.stringify(queued().filter(item => item.id !== id)));
  }

  async function flush() {
    if (sending) return;
    sending = true;
    clearTimeout(retryTimer);
    try {
      for (let item = queued()[0]; item; item = queued()[0]) {
        const outcome = await deliver(item);
        if (outcome === 'retry') {
          retryTimer = setTimeout(flush, backoff);
          backoff = Math.min(backoff * 2, 60000);
          return;
        }
        forget(item.id);
        backoff = 1000;
      }
    } finally {
      sending = false;
    }
  }

  async function deliver(item) {
    let reply;
    try {
      reply = await post(config.endpoint, item);
    } catch {
      return 'retry';
    }
    // 200 is stored, or stored before (a retried send); 400 can never be stored, however often it is sent.
    if (reply.ok) return 'done';
    if (reply.status === 400) {
      console.warn('The server refused a kiosk response', await reply.text());
      return 'done';
    }
    const problem = reply.status === 403 || reply.status === 409 ? await reply.json().catch(() => ({})) : {};
    if (problem.type === 'urn:cx:kiosk:reload' || problem.type === 'urn:cx:kiosk:closed') {
      // A stale antiforgery token: the reloaded page has a fresh one and sends the queue from there. A location taken
      // out of use: the reloaded page says so, and the queue waits here until the location reopens.
      reloadWhenIdle = true;
      if (!inSurvey()) reset();
    }
    return 'retry';
  }

  function newId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    // Plain http on a clinic network is not a secure context: build a version 4 UUID by hand.
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const hex = [...b].map(x => x.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  // --- wiring ---
  document.addEventListener('click', event => {
    const option = event.target.closest('.kiosk-option');
    if (option) {
      const screen = option.closest('[data-screen]');
      answers[screen.dataset.key] = Number(option.dataset.score);
      screen.querySelectorAll('.kiosk-option').forEach(b => b.setAttribute('aria-pressed', String(b === option)));
      show(current + 1);
      return;
    }
    const action = event.target.closest('[data-action]')?.dataset.action;
    if (action === 'start') {
      startedAt = Date.now();
      show(1);
    } else if (action === 'back') {
      if (current === 1) reset();
      else show(current - 1);
    } else if (action === 'skip') {
      const screen = screens[current];
      delete answers[screen.dataset.key];
      screen.querySelectorAll('.kiosk-option').forEach(b => b.setAttribute('aria-pressed', 'false'));
      show(current + 1);
    } else if (action === 'send') {
      send(true);
    } else if (action === 'send-anonymously') {
      send(false);
    } else if (action === 'large-text') {
      setLargeText(largeText.getAttribute('aria-pressed') !== 'true');
    }
  });
  for (const type of ['pointerdown', 'keydown', 'input']) document.addEventListener(type, armIdle, true);
  code.addEventListener('input', () => {
    codeProblem.textContent = '';
    sendAnonymously.hidden = true;
  });
  window.addEventListener('online', () => {
    backoff = 1000;
    flush();
  });

  show(0);
  flush();
})();
