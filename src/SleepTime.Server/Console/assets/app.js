// The console's shell: sign-in, routing by URL (every console URL returns this same page), and the header.
import { api, session, whenUnauthorized } from './api.js';
import { h, errorBox } from './ui.js';
import * as overview from './pages/overview.js';
import * as contextPage from './pages/context.js';
import * as agentPage from './pages/agent.js';

const main = document.getElementById('main');
const live = document.getElementById('live');
const tenant = document.getElementById('tenant');
const signOutButton = document.getElementById('sign-out');
const nav = document.getElementById('nav');

const routes = [
  [/^\/$/, overview.render, () => 'Overview'],
  [/^\/contexts\/([^/]+)$/, contextPage.render, (id) => `Context ${id}`],
  [/^\/agents\/([^/]+)$/, agentPage.render, (id) => `Agent ${id}`],
];

let current = null;
let signInNotice = null;

export function navigate(url, { replace = false } = {}) {
  history[replace ? 'replaceState' : 'pushState'](null, '', url);
  render();
}

function setLive(state) {
  live.textContent = state === 'live' ? '● live' : state === 'reconnecting' ? '○ reconnecting…' : '';
}

async function render() {
  current?.abort();
  const page = new AbortController();
  current = page;
  setLive('');
  const path = location.pathname;
  if (!session.key) {
    if (path !== '/sign-in') {
      history.replaceState(null, '', '/sign-in?next=' + encodeURIComponent(path + location.search));
    }

    return renderSignIn();
  }

  if (path === '/sign-in') {
    history.replaceState(null, '', '/');
    return render();
  }

  tenant.textContent = session.tenant ? `Tenant: ${session.tenant}` : '';
  signOutButton.hidden = false;
  nav.hidden = false;
  const route = routes.map(([pattern, view, title]) => [path.match(pattern), view, title]).find(([match]) => match);
  main.replaceChildren();
  if (!route) {
    document.title = 'Not found · SleepTime';
    main.append(h('h1', {}, 'Not found'), h('p', {}, 'No console page at this address. ', h('a', { href: '/' }, 'Go to the overview.')));
    return;
  }

  const [match, view, title] = route;
  const id = match[1] ? decodeURIComponent(match[1]) : undefined;
  document.title = `${title(id)} · SleepTime`;
  try {
    await view(main, { id, signal: page.signal, setLive, navigate });
  } catch (error) {
    if (page.signal.aborted) return;
    main.replaceChildren(h('h1', {}, error?.status === 404 ? 'Not found' : 'Could not load this page'), errorBox(error));
  }
}

function renderSignIn() {
  document.title = 'Sign in · SleepTime';
  tenant.textContent = '';
  signOutButton.hidden = true;
  nav.hidden = true;
  const key = h('input', { id: 'api-key', name: 'api-key', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const slot = h('div', {});
  if (signInNotice) slot.append(errorBox(signInNotice));
  signInNotice = null;
  const button = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', {
    class: 'card signin',
    onsubmit: async (event) => {
      event.preventDefault();
      button.disabled = true;
      slot.replaceChildren();
      try {
        const me = await api('/tenants/me', { key: key.value.trim() });
        session.signIn(key.value.trim(), me.name || me.id);
        const next = new URLSearchParams(location.search).get('next');
        navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
      } catch (error) {
        slot.replaceChildren(errorBox(error.status === 401
          ? { title: 'That API key was refused', detail: `${error.detail || 'The API key is unknown or revoked.'} Check the key and try again.` }
          : error));
        button.disabled = false;
        key.focus();
      }
    },
  },
  h('h1', {}, 'Sign in'),
  h('p', { class: 'muted' }, 'Enter an API key of your tenant. It is kept in this browser tab only (session storage) and sent as a Bearer token to the API.'),
  h('label', { for: 'api-key' }, 'API key', key),
  h('p', {}, button),
  slot);
  main.replaceChildren(form);
  key.focus();
}

function signOut(notice) {
  current?.abort();
  session.signOut();
  signInNotice = notice ?? null;
  navigate('/sign-in', { replace: true });
}

whenUnauthorized((error) => signOut({ title: 'Signed out', detail: `The server refused the key: ${error.detail || error.title}` }));
signOutButton.addEventListener('click', () => signOut());
window.addEventListener('popstate', render);
document.addEventListener('click', (event) => {
  const link = event.target.closest('a[href]');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if (link.origin !== location.origin || link.target || link.hasAttribute('download')) return;
  if (link.pathname === location.pathname && link.hash) return;
  if (!(link.pathname === '/' || /^\/(contexts|agents)\//.test(link.pathname))) return;
  event.preventDefault();
  navigate(link.pathname + link.search);
  main.focus();
});

render();
