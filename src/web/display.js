/* global window, document, location, fetch, AudioContext, EventSource, setTimeout, setInterval, SpeechSynthesisUtterance */
// Call display: the board arrives by Server-Sent Events (the browser reconnects with Last-Event-ID),
// the list holds at most 8 rows, the gong is synthesised with the Web Audio API (no audio file) and
// needs one click to enable, as browsers allow sound only after a user action. With sound on, a call
// is also spoken in German where the browser can (speech synthesis with a German voice); without it
// the gong alone sounds. The clock shows office time from the server's clock: an office PC's own
// clock may be wrong, and the waiting room reads the display as the time.
(() => {
  const root = document.getElementById('board');
  const texts = JSON.parse(document.getElementById('display-texts').textContent);
  const list = document.getElementById('calls');
  const live = document.getElementById('announce');
  const offline = document.getElementById('connection');
  const waiting = document.getElementById('waiting');
  const button = document.getElementById('gong');
  const clock = document.getElementById('clock');
  const notice = document.getElementById('notice');
  const officeId = root.dataset.office;
  let timeZone = root.dataset.timeZone;
  const skew = Number(root.dataset.serverNow) - Date.now();
  const speech = 'speechSynthesis' in window && typeof SpeechSynthesisUtterance === 'function' ? window.speechSynthesis : null;
  let lastSeen = Number(root.dataset.lastCall || 0);
  let audio = null;
  let gong = false;
  let source = null;

  button.hidden = false;
  button.addEventListener('click', () => {
    gong = !gong;
    if (gong && !audio) audio = new AudioContext();
    button.textContent = gong ? texts.gongOff : texts.gongOn;
    button.setAttribute('aria-pressed', String(gong));
    if (gong) chime();
  });

  function tick() {
    clock.textContent = new Intl.DateTimeFormat('de-DE', { hour: '2-digit', minute: '2-digit', timeZone }).format(Date.now() + skew);
  }
  tick();
  setInterval(tick, 10_000);

  function germanVoice() {
    return speech.getVoices().find((voice) => voice.lang === 'de-DE') || speech.getVoices().find((voice) => voice.lang.startsWith('de'));
  }

  /** Says the call after the gong: „T-012“ as „T 12“ (letters one by one, no dash, no leading zeros). */
  function announce(call) {
    chime();
    if (!speech) return;
    const spoken = call.label.replace(/^([A-Z]+)-?0*(\d+)$/, (_, letters, number) => `${letters.split('').join(' ')} ${number}`);
    const utterance = new SpeechSynthesisUtterance(fill(texts.speak, { label: spoken, counter: call.counterNumber }));
    utterance.lang = 'de-DE';
    const voice = germanVoice();
    if (voice) utterance.voice = voice;
    setTimeout(() => speech.speak(utterance), 1200);
  }

  function chime() {
    if (!audio) return;
    const start = audio.currentTime + 0.05;
    for (const [frequency, delay] of [
      [659.25, 0],
      [523.25, 0.5],
    ]) {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.type = 'sine';
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + delay);
      gain.gain.exponentialRampToValueAtTime(0.6, start + delay + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + delay + 1.4);
      tone.connect(gain).connect(audio.destination);
      tone.start(start + delay);
      tone.stop(start + delay + 1.5);
      tone.onended = () => gain.disconnect();
    }
  }

  /** The text for a count: `zero` (under 1, if the text has one), `one`, or `other` with {n}/{m}. */
  function plural(forms, count) {
    if (count < 1 && forms.zero) return forms.zero;
    return count === 1 ? forms.one : forms.other;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ''));
  }

  function render(board) {
    if (board.day !== root.dataset.day) return location.reload();
    const rows = board.calls.slice(0, 8).map((call) => {
      const row = document.createElement('tr');
      if (call.state !== 'called') row.className = 'is-done';
      const label = document.createElement('td');
      label.textContent = call.label;
      const counter = document.createElement('td');
      counter.textContent = String(call.counterNumber);
      row.append(label, counter);
      return row;
    });
    if (rows.length === 0) {
      const row = document.createElement('tr');
      const cell = document.createElement('td');
      cell.colSpan = 2;
      cell.textContent = texts.empty;
      row.append(cell);
      rows.push(row);
    }
    list.replaceChildren(...rows);
    waiting.textContent = `${fill(plural(texts.waiting, board.waiting), { n: board.waiting })} · ${fill(plural(texts.walkinWait, board.walkinWaitMinutes), { m: board.walkinWaitMinutes })}`;
    timeZone = board.timeZone || timeZone;
    const line = !board.notice
      ? ''
      : texts.lang === 'en' && board.notice.en
        ? board.notice.en
        : [board.notice.de, board.notice.en].filter(Boolean).join(' · ');
    notice.textContent = line;
    notice.hidden = line === '';
    if (board.lastCallId > lastSeen) {
      const call = board.calls[0];
      if (call) live.textContent = fill(texts.call, { label: call.label, counter: call.counterNumber });
      if (gong && call) announce(call);
      else if (gong) chime();
    }
    lastSeen = Math.max(lastSeen, board.lastCallId);
  }

  function connect() {
    if (source) source.close();
    source = new EventSource(`/display/${encodeURIComponent(officeId)}/events`);
    source.addEventListener('board', (event) => {
      offline.hidden = true;
      render(JSON.parse(event.data));
    });
    source.addEventListener('error', () => {
      offline.hidden = false;
      // A closed EventSource (e.g. the server answered 502, or 503: the office has too many displays)
      // does not retry by itself.
      if (source.readyState === EventSource.CLOSED) setTimeout(retry, 10_000);
    });
  }

  // A display whose pairing was revoked shows the pairing page instead of an old board.
  async function retry() {
    try {
      const page = await fetch(location.pathname, { method: 'HEAD', cache: 'no-store' });
      if (page.status === 403) return location.reload();
    } catch {
      // The server is unreachable: the stream will say so again and the next try follows.
    }
    connect();
  }
  connect();
})();
