// drag.js — drag and drop of notes on a desktop: a lane or group takes a
// dropped card (dropZone), a loose card stacks with another into a new
// group (stackProps), a card may be picked up (dragProps). Both the lanes
// (columns.js) and the card (note.js) use it, so it sits apart from both.
const DRAG_TYPE = 'application/x-rembuk-note';

/** canDrag: drag and drop is offered everywhere but on touch screens (the menu works there). */
const canDrag = () => !window.matchMedia('(pointer: coarse)').matches;
let dragging = null;

export function dropZone(ctx, p, columnId, groupId) {
  if (!canDrag()) return {};
  return {
    ondragover: (e) => {
      if (!dragging) return;
      e.preventDefault();
      e.stopPropagation();
      e.currentTarget.classList.add('drop-over');
    },
    ondragleave: (e) => { if (!e.currentTarget.contains(e.relatedTarget)) e.currentTarget.classList.remove('drop-over'); },
    ondrop: (e) => {
      e.preventDefault();
      e.stopPropagation();
      e.currentTarget.classList.remove('drop-over');
      const id = dragging || e.dataTransfer.getData(DRAG_TYPE);
      dragging = null;
      const n = ctx.state.notes.get(id);
      if (!n) return;
      const gid = groupId || null;
      if (n.columnId === columnId && (n.groupId || null) === gid) return;
      ctx.cmd('note.move', { id, columnId, groupId: groupId || '' });
    },
  };
}

/**
 * stackProps makes a loose card a drop target: another card dropped on it
 * stacks both into a new group, titled with this card's text (rename it
 * from the group's menu). A card from another column moves here first.
 */
export function stackProps(ctx, p, n) {
  if (!canDrag() || !p.addGroup || n.pending || n.hidden) return {};
  const other = () => (dragging && dragging !== n.id ? ctx.state.notes.get(dragging) : null);
  return {
    ondragover: (e) => {
      const o = other();
      if (!o || !p.moveNote(o)) return;
      e.preventDefault();
      e.stopPropagation();
      e.currentTarget.classList.add('drop-stack');
    },
    ondragleave: (e) => { if (!e.currentTarget.contains(e.relatedTarget)) e.currentTarget.classList.remove('drop-stack'); },
    ondrop: (e) => {
      const o = other();
      e.currentTarget.classList.remove('drop-stack');
      if (!o || !p.moveNote(o)) return;
      e.preventDefault();
      e.stopPropagation();
      dragging = null;
      document.querySelectorAll('.drop-over').forEach((x) => x.classList.remove('drop-over'));
      if (o.columnId !== n.columnId) ctx.cmd('note.move', { id: o.id, columnId: n.columnId, groupId: '' });
      ctx.cmd('group.add', { columnId: n.columnId, title: stackTitle(n.text), noteIds: [n.id, o.id] });
    },
  };
}

/** stackTitle is a card's text as a one-line group title. */
const stackTitle = (text) => {
  const v = String(text || '').replace(/\s+/g, ' ').trim();
  return [...v].length > 80 ? [...v].slice(0, 79).join('') + '…' : v;
};

/** dragProps makes a note draggable where it may move (desktop pointers only). */
export function dragProps(p, n) {
  if (!p.moveNote(n) || n.pending || !canDrag()) return {};
  return {
    draggable: true,
    ondragstart: (e) => {
      dragging = n.id;
      e.dataTransfer.setData(DRAG_TYPE, n.id);
      e.dataTransfer.effectAllowed = 'move';
      e.currentTarget.classList.add('dragging');
    },
    ondragend: (e) => {
      dragging = null;
      e.currentTarget.classList.remove('dragging');
      document.querySelectorAll('.drop-over').forEach((x) => x.classList.remove('drop-over'));
    },
  };
}