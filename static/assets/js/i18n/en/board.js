// en/board.js — the board's frame: connection, banners, phases, guides, roles, menus, panels, tabs.
// Part of the English table (../en.js); id/board.js has the same keys.
import { pl } from './plural.js';

export default {
  'board.connecting': 'Connecting to the board…',
  'board.loadingBytes': 'Loading the board… {size} MB',
  'board.columns': 'Board columns',

  'conn.connecting': 'Connecting',
  'conn.connected': 'Connected',
  'conn.connectedHttp': 'Connected (HTTP fallback)',
  'conn.httpHint': 'this network blocks WebSockets, so the board uses HTTP; nothing is missing, it is a little slower',
  'conn.reconnecting': 'Reconnecting…',
  'conn.offline': 'Offline',
  'conn.waiting': '{n} waiting',

  'banner.offline': 'You are offline. What you write is kept on this device and sent as soon as you reconnect.',
  'banner.reconnecting': 'Connection lost — reconnecting. Your writing is safe.',
  'banner.closed': 'This session is closed. The board is read-only.',
  'banner.locked': 'The facilitator has locked the board. You can still read it.',
  'banner.lockedFac': 'Board locked: participants cannot change anything.',
  'banner.private': 'Private brainstorm: your notes are visible only to you and the facilitator until revealed.',
  'banner.privateFac': (p) => `Private brainstorm on · ${pl(p.n, 'note is', 'notes are')} still hidden from participants.`,

  'phase.label': 'Discussion phases',
  'phase.brainstorm': 'Brainstorm',
  'phase.group': 'Group',
  'phase.vote': 'Vote & score',
  'phase.discuss': 'Discuss',
  'phase.actions': 'Actions',
  'phase.next': 'Next: {name}',

  'guide.brainstorm.part': 'Write one problem or idea per note, in the column where it belongs.',
  'guide.brainstorm.fac': 'Invite everyone to write one idea per note. Turn on private brainstorm in Settings if needed.',
  'guide.group.part': 'Cluster similar notes: select a few and create a group, or move a note with its ⋯ menu.',
  'guide.group.fac': 'Guide the group in clustering similar notes, then name each cluster.',
  'guide.vote.part': 'Vote for the most important problems ({n} left) and score U, S, G (1–5) for each problem.',
  'guide.vote.fac': 'Participants vote and score USG. Watch the live ranking in the Ranking panel.',
  'guide.discuss.part': 'Follow the highlighted note and share your view with the group.',
  'guide.discuss.fac': 'Spotlight the top notes or groups one at a time and record each conclusion.',
  'guide.actions.part': 'See the agreed follow-up actions: what, who (PIC) and by when.',
  'guide.discuss.notulis': 'Record the conclusion of the highlighted note in the yellow box above the board.',
  'guide.actions.notulis': 'Record follow-up actions in the Actions panel: what, PIC, deadline and the related note.',
  'guide.actions.fac': 'Agree on follow-up actions: what, who (PIC) and by when. Then download the minutes.',

  'role.facilitator': 'Facilitator',
  'role.notulis': 'Minute-taker',
  'role.participant': 'Participant',
  'role.makeNotulis': 'Make minute-taker',
  'role.makeParticipant': 'Make regular participant',
  'role.changed.notulis': 'You are now the minute-taker: you can write conclusions and actions.',
  'role.changed.participant': 'You are now a participant.',
  'role.changed.facilitator': 'You are the facilitator of this session.',

  'menu.more': 'More',
  'menu.nothing': 'Nothing you can do here',

  'panel.toggle': 'Show/hide the side panel',
  'panel.nav': 'Navigation',
  'panel.board': 'Board',
  'panel.people': 'People',
  'panel.rank': 'Ranking',
  'panel.notes': 'Conclusions',
  'panel.actions': 'Actions',

  'tab.board': 'Board',
  'tab.people': 'People',
  'tab.rank': 'Ranking',
  'tab.notes': 'Outcomes',
  'tab.actions': 'Actions',

  'banner.region': 'Notices',
};
