// id.js — Bahasa Indonesia, the default language. One table for the page,
// written in parts by concern (i18n/id/*.js) and put together here; en.js
// has the same parts with the same keys. No key belongs to two parts.
import common from './id/common.js';
import start from './id/start.js';
import programme from './id/programme.js';
import board from './id/board.js';
import people from './id/people.js';
import notes from './id/notes.js';
import scoring from './id/scoring.js';
import diagram from './id/diagram.js';
import record from './id/record.js';
import settings from './id/settings.js';
import minutes from './id/minutes.js';

export default {
  ...common, ...start, ...programme, ...board, ...people, ...notes,
  ...scoring, ...diagram, ...record, ...settings, ...minutes,
};
