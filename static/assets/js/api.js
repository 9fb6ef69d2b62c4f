// api.js — the HTTP side: JSON requests with a bearer token, errors turned
// into ApiError {status, code}, and file downloads through fetch + Blob.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
  }
}

async function request(method, path, body, token) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = 'Bearer ' + token;
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (_) {
    throw new ApiError(0, 'network', 'network');
  }
  let data = null;
  const text = await res.text();
  if (text) {
    try { data = JSON.parse(text); } catch (_) { data = null; }
  }
  if (!res.ok) {
    const e = (data && data.error) || {};
    throw new ApiError(res.status, e.code || codeFor(res.status), e.message);
  }
  return data;
}

export function codeFor(status) {
  return { 400: 'invalid', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 413: 'too_large', 423: 'locked', 429: 'rate_limited' }[status] || 'unknown';
}

// The templates come with the page (the server puts them in index.html as
// a JSON block), so the landing page lists them in its first frame: no
// request, nothing shifting when it arrives. Fetched when the block is absent.
export const getTemplates = () => {
  const el = document.getElementById('templates-data');
  if (el) {
    try { return Promise.resolve(JSON.parse(el.textContent)); } catch (_) { /* ask the server */ }
  }
  return request('GET', '/api/templates');
};
export const createSession = (body) => request('POST', '/api/sessions', body);
export const joinSession = (body) => request('POST', '/api/join', body);
export const getBoard = (id, token) => request('GET', `/api/sessions/${encodeURIComponent(id)}/board`, undefined, token);

/** qrURL is the address of a PNG QR code of data. */
export const qrURL = (data) => '/api/qr?data=' + encodeURIComponent(data);

/** joinURL is the link participants open for a join code (base: the origin
 * phones can reach, see board/reach.js; default this page's). */
export const joinURL = (code, base = location.origin) => `${base}/join/${encodeURIComponent(code)}`;

/** fileName reads the file name out of a Content-Disposition header. */
export function fileName(cd) {
  if (!cd) return '';
  const star = /filename\*\s*=\s*([^']*)''([^;]+)/i.exec(cd);
  if (star) {
    try { return decodeURIComponent(star[2].trim().replace(/^"|"$/g, '')); } catch (_) { /* fall through */ }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(cd);
  return plain ? plain[1].trim() : '';
}

/** getDiagram fetches the fishbone or problem-tree layout as this token may see the board. */
export const getDiagram = (id, token, view, root, lang) => request('GET', `/api/sessions/${encodeURIComponent(id)}/diagram?view=${encodeURIComponent(view)}&lang=${encodeURIComponent(lang)}` +
  (root ? '&root=' + encodeURIComponent(root) : ''), undefined, token);

// Programmes (program ZI): the key goes in the Authorization header, never
// in a URL the server sees (the page keeps it in the link's #fragment).
const prog = (id) => '/api/programmes/' + encodeURIComponent(id);
export const createProgramme = (body) => request('POST', '/api/programmes', body);
export const getProgramme = (id, key) => request('GET', prog(id), undefined, key);
export const getRegister = (id, key) => request('GET', prog(id) + '/register', undefined, key);
export const rotateProgrammeKey = (id, key) => request('POST', prog(id) + '/key', undefined, key);
export const createProgrammeSession = (id, key, body) => request('POST', prog(id) + '/sessions', body, key);

// A second device (docs/protocol.md "A second device"): a request the
// facilitator approves, or a single-use link from the first device.
const sp = (id) => `/api/sessions/${encodeURIComponent(id)}`;
export const askRejoin = (body) => request('POST', '/api/rejoin', body);
export const pollRejoin = (id, rid) => request('GET', `${sp(id)}/rejoin/${encodeURIComponent(rid)}`);
export const decideRejoin = (id, token, rid, body) => request('POST', `${sp(id)}/rejoin/${encodeURIComponent(rid)}`, body, token);
export const makeDeviceLink = (id, token) => request('POST', `${sp(id)}/devices`, undefined, token);
export const claimDeviceLink = (id, secret) => request('POST', `${sp(id)}/devices/claim`, { secret });
