// menus.js — the ⋯ menus of notes, groups, columns and participants. Each
// lists only what this viewer may do now; moving a note needs no drag.
import { t } from '../i18n.js';
import { openMenu } from '../ui/menu.js';
import { confirmDialog, promptDialog } from '../ui/dialog.js';
import { columns, groupsIn } from './derive.js';
import { linkDialog, linkKindsFrom, recordDialog } from './dialogs.js';
import { actionDialog } from './actions.js';
import { mergeDialog } from './devices.js';

export function noteMenu(ctx, p, c, n, anchor) {
  const s = ctx.state;
  const cols = columns(s);
  const canMove = p.moveNote(n);
  const spot = s.session.spotlight === n.id;
  openMenu(anchor, [
    p.editNote(n) ? { label: t('note.edit'), testid: 'note-edit', onSelect: () => ctx.setUI({ editing: n.id }) } : null,
    canMove && cols.length > 1 ? { label: t('note.moveColumn'), testid: 'note-move-column', onSelect: () => moveColumnMenu(ctx, n, anchor) } : null,
    canMove ? { label: t('note.moveGroup'), testid: 'note-move-group', onSelect: () => moveGroupMenu(ctx, p, n, anchor) } : null,
    p.addGroup ? { label: t('group.selectMany'), testid: 'note-select-start', onSelect: () => { ctx.ui.selected.add(n.id); ctx.setUI({ selecting: true }); } } : null,
    linkKindsFrom(c.kind).length && p.link ? { label: t('link.pick'), testid: 'note-link', onSelect: () => linkDialog(ctx, n.id) } : null,
    ...targetItems(ctx, p, n.id, spot),
    p.editNote(n) ? { separator: true } : null,
    p.editNote(n) ? { label: t('note.delete'), testid: 'note-delete', danger: true, onSelect: async () => {
      if (await confirmDialog(t('note.deleteConfirm'), { danger: true, ok: t('note.delete') })) ctx.cmd('note.delete', { id: n.id });
    } } : null,
  ], { title: t('note.menu'), testid: 'note-menu-list' });
}

function targetItems(ctx, p, id, spot) {
  return [
    p.facEdit ? { label: t(spot ? 'spot.clear' : 'spot.set'), testid: 'target-spotlight', onSelect: () => ctx.cmd('spotlight.set', { targetId: spot ? null : id }) } : null,
    p.staffEdit ? { label: t('record.write'), testid: 'target-record', onSelect: () => recordDialog(ctx, id) } : null,
    p.staffEdit ? { label: t('action.addFor'), testid: 'target-action', onSelect: () => actionDialog(ctx, null, id) } : null,
  ];
}

function moveColumnMenu(ctx, n, anchor) {
  openMenu(anchor, columns(ctx.state).map((col) => ({
    label: col.title, checked: col.id === n.columnId, testid: 'move-to-column',
    onSelect: () => { if (col.id !== n.columnId) ctx.cmd('note.move', { id: n.id, columnId: col.id }); },
  })), { title: t('note.moveColumn'), testid: 'move-column-list' });
}

function moveGroupMenu(ctx, p, n, anchor) {
  const s = ctx.state;
  const items = [];
  for (const col of columns(s)) {
    const gs = groupsIn(s, col.id);
    if (!gs.length) continue;
    items.push({ heading: col.title });
    for (const g of gs) {
      items.push({ label: g.title, checked: n.groupId === g.id, testid: 'move-to-group',
        onSelect: () => { if (n.groupId !== g.id) ctx.cmd('note.move', { id: n.id, columnId: g.columnId, groupId: g.id }); } });
    }
  }
  if (n.groupId) items.push({ separator: true }, { label: t('group.none'), testid: 'move-ungroup', onSelect: () => ctx.cmd('note.move', { id: n.id, columnId: n.columnId, groupId: '' }) });
  if (p.addGroup) {
    items.push({ separator: true }, { label: t('group.newWith'), testid: 'move-new-group', onSelect: async () => {
      const r = await promptDialog({ title: t('group.new'), label: t('group.name'), ok: t('group.create'), testid: 'group-dialog' });
      if (r) ctx.cmd('group.add', { columnId: n.columnId, title: r.text, noteIds: [n.id] });
    } });
  }
  if (!items.length) items.push({ label: t('group.noneYet'), disabled: true });
  openMenu(anchor, items, { title: t('note.moveGroup'), testid: 'move-group-list' });
}

export function groupMenu(ctx, p, g, anchor) {
  const s = ctx.state;
  const col = s.columns.get(g.columnId) || {};
  const spot = s.session.spotlight === g.id;
  const items = [
    p.editGroup ? { label: t('group.rename'), testid: 'group-rename', onSelect: async () => {
      const r = await promptDialog({ title: t('group.rename'), label: t('group.name'), value: g.title, testid: 'group-dialog' });
      if (r && r.text !== g.title) ctx.cmd('group.update', { id: g.id, title: r.text });
    } } : null,
    linkKindsFrom(col.kind).length && p.link ? { label: t('link.pick'), testid: 'group-link', onSelect: () => linkDialog(ctx, g.id) } : null,
    ...targetItems(ctx, p, g.id, spot),
    p.editGroup ? { separator: true } : null,
    p.editGroup ? { label: t('group.delete'), testid: 'group-delete', danger: true, onSelect: async () => {
      if (await confirmDialog(t('group.deleteConfirm', { name: g.title }), { danger: true, ok: t('group.delete') })) ctx.cmd('group.delete', { id: g.id });
    } } : null,
  ].filter(Boolean);
  openMenu(anchor, items.length ? items : [{ label: t('menu.nothing'), disabled: true }], { title: g.title, testid: 'group-menu-list' });
}

export function columnMenu(ctx, c, anchor) {
  const s = ctx.state;
  openMenu(anchor, [
    { label: t('column.rename'), testid: 'column-rename', onSelect: async () => {
      const r = await promptDialog({ title: t('column.rename'), label: t('column.name'), value: c.title, testid: 'column-dialog' });
      if (r && r.text !== c.title) ctx.cmd('column.update', { id: c.id, title: r.text });
    } },
    { label: t('column.kindChange'), testid: 'column-kind', onSelect: () => openMenu(anchor, ['problem', 'cause', 'effect', 'innovation', 'other'].map((k) => ({
      label: t('kind.' + k), checked: c.kind === k, onSelect: () => { if (k !== c.kind) ctx.cmd('column.update', { id: c.id, kind: k }); },
    })), { title: t('column.kindChange') }) },
    { label: t('group.newEmpty'), testid: 'column-new-group', onSelect: async () => {
      const r = await promptDialog({ title: t('group.new'), label: t('group.name'), ok: t('group.create'), testid: 'group-dialog' });
      if (r) ctx.cmd('group.add', { columnId: c.id, title: r.text, noteIds: [] });
    } },
    { separator: true },
    { label: t('column.delete'), testid: 'column-delete', danger: true, disabled: s.columns.size <= 1, onSelect: async () => {
      const n = [...s.notes.values()].filter((x) => x.columnId === c.id).length;
      if (await confirmDialog(t('column.deleteConfirm', { name: c.title, n }), { danger: true, ok: t('column.delete') })) ctx.cmd('column.delete', { id: c.id });
    } },
  ], { title: c.title, testid: 'column-menu-list' });
}

export function personMenu(ctx, person, anchor) {
  openMenu(anchor, [
    person.role === 'notulis'
      ? { label: t('role.makeParticipant'), testid: 'make-participant', onSelect: () => ctx.cmd('participant.setRole', { id: person.id, role: 'participant' }) }
      : { label: t('role.makeNotulis'), testid: 'make-notulis', onSelect: () => ctx.cmd('participant.setRole', { id: person.id, role: 'notulis' }) },
    { label: t('merge.menu'), testid: 'merge-participant', onSelect: () => mergeDialog(ctx, person) },
    { separator: true },
    { label: t('people.remove'), testid: 'remove-participant', danger: true, onSelect: async () => {
      if (await confirmDialog(t('people.removeConfirm', { name: person.name }), { danger: true, ok: t('people.remove') })) ctx.cmd('participant.remove', { id: person.id });
    } },
  ], { title: person.name, testid: 'participant-menu-list' });
}
