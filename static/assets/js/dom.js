// dom.js — a very small keyed virtual DOM. Every view is a pure function of
// state that returns vnodes; render() patches them into the page, reusing
// elements so focus, scroll positions, caret and half-typed text survive a
// re-render. Text always goes in as text nodes: nothing is ever parsed as HTML.

const SVG_NS = 'http://www.w3.org/2000/svg';
const BOOL_PROPS = new Set(['disabled', 'hidden', 'checked', 'readOnly', 'required', 'selected', 'multiple', 'open', 'draggable']);
const SKIP = new Set(['key', 'ref', 'ns', 'defaultValue', 'unmanaged']);

/** h builds a vnode: h('button', {class: 'btn', onclick}, 'Label'). */
export function h(tag, props, ...children) {
  const p = props || {};
  return { tag, props: p, key: p.key != null ? String(p.key) : null, children: flatten(children, []) };
}

/** svg builds an SVG vnode (children are SVG too). */
export function svg(tag, props, ...children) {
  const v = h(tag, { ...(props || {}), ns: SVG_NS }, ...children);
  v.children.forEach((c) => { if (c.tag !== '#text' && !c.props.ns) c.props.ns = SVG_NS; });
  return v;
}

function flatten(list, out) {
  for (const c of list) {
    if (c == null || c === false || c === true) continue;
    if (Array.isArray(c)) flatten(c, out);
    else if (typeof c === 'object') out.push(c);
    else out.push({ tag: '#text', text: String(c), key: null, props: {}, children: [] });
  }
  return out;
}

function sig(v) {
  return v.tag === '#text' ? '#text' : v.tag + '.' + (v.props.class || '');
}

/** render patches container's children to match vnodes. */
export function render(container, vnodes) {
  const list = flatten(Array.isArray(vnodes) ? vnodes : [vnodes], []);
  patchChildren(container, container.__vkids || [], list);
  container.__vkids = list;
}

function create(v) {
  if (v.tag === '#text') {
    v.el = document.createTextNode(v.text);
    return v.el;
  }
  const el = v.props.ns ? document.createElementNS(v.props.ns, v.tag) : document.createElement(v.tag);
  v.el = el;
  for (const k in v.props) setProp(el, k, v.props[k], undefined, v.props.ns);
  if (v.props.defaultValue != null) el.value = v.props.defaultValue;
  for (const c of v.children) el.appendChild(create(c));
  if (v.props.ref) v.props.ref(el);
  return el;
}

function setProp(el, k, val, old, ns) {
  if (SKIP.has(k)) return;
  if (k.startsWith('on')) {
    el[k.toLowerCase()] = val || null;
    return;
  }
  if (k === 'class') {
    if (ns) el.setAttribute('class', val || '');
    else el.className = val || '';
    return;
  }
  if (k === 'style') {
    const o = old || {};
    const n = val || {};
    for (const s in o) if (!(s in n)) el.style[s] = '';
    for (const s in n) if (el.style[s] !== n[s]) el.style[s] = n[s];
    return;
  }
  if (k === 'value') {
    if (el.value !== String(val ?? '')) el.value = val ?? '';
    return;
  }
  if (BOOL_PROPS.has(k) && !ns) {
    if (k === 'draggable') el.draggable = !!val;
    else el[k] = !!val;
    return;
  }
  if (val == null || val === false) el.removeAttribute(k);
  else el.setAttribute(k, val === true ? '' : String(val));
}

function patch(o, n) {
  const el = (n.el = o.el);
  if (n.tag === '#text') {
    if (o.text !== n.text) el.data = n.text;
    return;
  }
  const op = o.props;
  const np = n.props;
  // A dropped value prop leaves the field as the user left it.
  for (const k in op) if (!(k in np) && k !== 'value') setProp(el, k, k === 'style' ? {} : null, op[k], np.ns);
  for (const k in np) {
    const val = np[k];
    if (k === 'value' || k === 'checked') {
      if (k === 'checked' ? el.checked !== !!val : el.value !== String(val ?? '')) setProp(el, k, val, op[k], np.ns);
      continue;
    }
    if (op[k] === val && k !== 'style') continue;
    setProp(el, k, val, op[k], np.ns);
  }
  if (!np.unmanaged) patchChildren(el, o.children, n.children);
  else n.children = o.children;
}

function patchChildren(parent, oldKids, newKids) {
  const keyed = new Map();
  const unkeyed = [];
  for (const o of oldKids) {
    if (o.key != null) keyed.set(o.key, o);
    else unkeyed.push(o);
  }
  // Unkeyed children match the first unused old child of the same tag and
  // class, in order, so a conditional sibling appearing or going away does
  // not make the elements after it be rebuilt (which would drop focus,
  // scroll positions and half-typed text).
  // An element whose class changed still matches by tag, unless its old
  // class is what a later new sibling asks for.
  const used = new Set();
  const want = new Map();
  for (const n of newKids) if (n.key == null) want.set(sig(n), (want.get(sig(n)) || 0) + 1);
  for (const n of newKids) {
    let o = null;
    if (n.key != null) {
      o = keyed.get(n.key) || null;
      if (o && o.tag !== n.tag) o = null;
      if (o) keyed.delete(n.key);
    } else {
      const s = sig(n);
      want.set(s, want.get(s) - 1);
      o = unkeyed.find((c) => !used.has(c) && sig(c) === s) || null;
      if (!o) o = unkeyed.find((c) => !used.has(c) && c.tag === n.tag && !(want.get(sig(c)) > 0)) || null;
    }
    if (o) {
      patch(o, n);
      used.add(o);
    } else {
      create(n);
    }
  }
  for (const o of oldKids) {
    if (!used.has(o) && o.el && o.el.parentNode === parent) parent.removeChild(o.el);
  }
  let cur = parent.firstChild;
  for (const n of newKids) {
    if (n.el === cur) cur = cur.nextSibling;
    else parent.insertBefore(n.el, cur);
  }
}

/** el creates a real element (for code outside the render path). */
export function el(tag, props, ...children) {
  const v = h(tag, props, ...children);
  return create(v);
}
