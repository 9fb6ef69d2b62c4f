// en.js — English. One table, in the same parts as id.js (i18n/en/*.js),
// each with the same keys as its Indonesian twin.
import common from './en/common.js';
import start from './en/start.js';
import programme from './en/programme.js';
import board from './en/board.js';
import people from './en/people.js';
import notes from './en/notes.js';
import scoring from './en/scoring.js';
import diagram from './en/diagram.js';
import record from './en/record.js';
import settings from './en/settings.js';
import minutes from './en/minutes.js';

export default {
  ...common, ...start, ...programme, ...board, ...people, ...notes,
  ...scoring, ...diagram, ...record, ...settings, ...minutes,
};
