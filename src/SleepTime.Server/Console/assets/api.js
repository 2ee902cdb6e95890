// The console's only way to the server: the same /api the typed client uses, with the key the user signed in with.
const KEY = 'sleeptime.console.key';
const TENANT = 'sleeptime.console.tenant';

export const session = {
  get key() { return sessionStorage.getItem(KEY); },
  get tenant() { return sessionStorage.getItem(TENANT); },
  signIn(key, tenant) { sessionStorage.setItem(KEY, key); sessionStorage.setItem(TENANT, tenant); },
  signOut() { sessionStorage.removeItem(KEY); sessionStorage.removeItem(TENANT); },
};

/** A refused request: the problem detail's title and detail (RFC 9457), and the body for statuses that carry data. */
export class ApiError extends Error {
  constructor(status, body) {
    const problem = body && typeof body === 'object' ? body : {};
    super(problem.detail || problem.title || `The server answered ${status}.`);
    this.status = status;
    this.title = problem.title || (status === 0 ? 'Server unreachable' : `Error ${status}`);
    this.detail = problem.detail || '';
    this.field = problem.field || null;
    this.body = body;
  }
}

let onUnauthorized = () => {};
/** What to do when the stored key stops working (revoked): the app signs out. */
export function whenUnauthorized(handler) { onUnauthorized = handler; }

export async function api(path, { method = 'GET', body, key, signal } = {}) {
  const headers = { Accept: 'application/json', Authorization: `Bearer ${key ?? session.key ?? ''}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch('/api' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal, cache: 'no-store' });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, { title: 'Server unreachable', detail: `The server could not be reached (${error.message}).` });
  }

  const text = response.status === 204 ? '' : await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = { title: `Error ${response.status}`, detail: text.slice(0, 300) }; }
  }

  if (!response.ok) {
    if (response.status === 401 && key === undefined) onUnauthorized(new ApiError(401, data));
    throw new ApiError(response.status, data);
  }

  return data;
}

/**
 * Reads a server-sent event stream with fetch (EventSource cannot send the Authorization header) and resumes it after
 * a drop with Last-Event-ID, the last id seen, so nothing is missed or seen twice. Returns a function that stops it.
 */
export function subscribe(path, onEvent, onState = () => {}) {
  const controller = new AbortController();
  let lastId = null;
  let stopped = false;
  let delay = 500;

  const dispatch = (block) => {
    let type = 'message', id = null;
    const data = [];
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }

    if (id !== null) lastId = id;
    if (type === 'ready') { onState('live'); return; }
    if (data.length === 0) return;
    try { onEvent({ type, id, event: JSON.parse(data.join('\n')) }); } catch (error) { console.error('SleepTime console: bad event', error); }
  };

  (async () => {
    while (!stopped) {
      try {
        const headers = { Accept: 'text/event-stream', Authorization: `Bearer ${session.key ?? ''}` };
        if (lastId !== null) headers['Last-Event-ID'] = lastId;
        const response = await fetch('/api' + path, { headers, signal: controller.signal, cache: 'no-store' });
        if (!response.ok) {
          const problem = await response.json().catch(() => null);
          const error = new ApiError(response.status, problem);
          onState('error', error);
          if (response.status === 401 || response.status === 403 || response.status === 404) return;
          // An id the server no longer knows (its log was reset): start again from what happens next.
          if (response.status === 400) lastId = null;
          throw error;
        }

        delay = 500;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value.replace(/\r\n?/g, '\n');
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            dispatch(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        }
      } catch (error) {
        if (stopped) return;
      }

      if (stopped) return;
      onState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10000);
    }
  })();

  return () => { stopped = true; controller.abort(); };
}
