// app.js — the entry point and router: / (landing), /join/{CODE} (join
// form), /s/{sessionId} (the board), /p (a new programme), /p/{id}#KEY (a
// programme). Navigation uses the History API.
import { mountLanding } from './views/landing.js';
import { mountJoin } from './views/join.js';
import { mountBoard } from './board/board.js';
import { mountProgramme } from './views/programme.js';
import { mountProgrammeNew } from './views/programme-new.js';
import { closeAllDialogs } from './ui/dialog.js';
import { closeMenu } from './ui/menu.js';

const root = document.getElementById('app');
let current = null;

const app = {
  navigate(path, replace = false) {
    if (replace) history.replaceState(null, '', path);
    else if (path !== location.pathname) history.pushState(null, '', path);
    route();
  },
};

function route() {
  if (current) current.unmount();
  current = null;
  closeAllDialogs();
  closeMenu();
  root.textContent = '';
  root.__vkids = [];
  document.title = 'Rembuk';
  const path = location.pathname;
  let m;
  if ((m = /^\/s\/([^/]+)\/?$/.exec(path))) {
    document.body.className = 'on-board';
    current = mountBoard(root, decodeURIComponent(m[1]), app);
  } else if ((m = /^\/p\/([^/]+)\/?$/.exec(path))) {
    document.body.className = 'on-page';
    current = mountProgramme(root, decodeURIComponent(m[1]), app);
  } else if (/^\/p\/?$/.test(path)) {
    document.body.className = 'on-page';
    current = mountProgrammeNew(root, app);
  } else if ((m = /^\/join\/([^/]+)\/?$/.exec(path))) {
    document.body.className = 'on-page';
    current = mountJoin(root, decodeURIComponent(m[1]), app);
  } else {
    document.body.className = 'on-page';
    current = mountLanding(root, app);
  }
  window.scrollTo(0, 0);
}

window.addEventListener('popstate', route);
route();
