// en/settings.js — session settings, units, revealing hidden notes, the timer.
// Part of the English table (../en.js); id/settings.js has the same keys.
import { pl } from './plural.js';

export default {
  'settings.title': 'Settings',
  'settings.private': 'Private brainstorm',
  'settings.privateHint': 'Notes are visible only to their author and the facilitator until revealed.',
  'settings.anonymous': 'Anonymous',
  'settings.anonymousHint': 'Note authors are shown to nobody. Notes written while this is on stay anonymous after it is turned off.',
  'settings.showUnits': 'Show units',
  'settings.hideResults': 'Hide results until scoring closes',
  'settings.hideResultsHint': 'During screening and scoring, participants see only their own votes and scores, not the team\'s results, so they are not swayed.',
  'settings.showUnitsHint': 'While anonymous, a card shows its writer\'s unit only when that unit has at least 3 people in this session.',
  'unit.bar': 'Units',
  'unit.filter': 'Unit',
  'unit.all': 'All units',
  'unit.colour': 'Colour by unit',
  'unit.legend': 'Unit colour key',
  'rank.byUnit': 'USG per unit',
  'settings.locked': 'Lock the board',
  'settings.lockedHint': 'Participants can only read; the minute-taker can still record.',
  'settings.votes': 'Votes per participant',
  'settings.votesHint': '0 turns voting off.',
  'settings.votesLess': 'Fewer votes',
  'settings.votesMore': 'More votes',

  'reveal.confirm': (p) => `Reveal ${pl(p.n, 'hidden card', 'hidden cards')} to everyone? Revealed cards cannot be hidden again.`,
  'reveal.button': 'Reveal all notes',
  'reveal.pending': (p) => `${pl(p.n, 'note is', 'notes are')} still hidden from participants:`,
  'reveal.done': 'All notes are revealed.',

  'timer.title': 'Timer',
  'timer.help': 'Everyone sees the same countdown on their screen.',
  'timer.min': (p) => pl(p.n, 'minute', 'minutes'),
  'timer.custom': 'Other number of minutes',
  'timer.start': 'Start',
  'timer.stop': 'Stop the timer',
  'timer.range': 'Choose between 1 and 120 minutes.',
};
