// The Kindly playground page: plays the Slack client. It draws the Block Kit the app sent and turns
// clicks into requests the playground server signs and sends to the app, as Slack would.
// User text is never injected as HTML: plain text goes through textContent, mrkdwn is escaped first.
'use strict';

const EMOJI = {
  bell: '🔔', compass: '🧭', gem: '💎', gift: '🎁', hourglass_flowing_sand: '⏳', hugging_face: '🤗',
  leaves: '🍃', lion_face: '🦁', lock: '🔒', mag: '🔍', mountain: '⛰️', pause_button: '⏸️', scales: '⚖️',
  seedling: '🌱', smile: '😄', sparkles: '✨', warning: '⚠️', heart: '❤️', tada: '🎉', wave: '👋',
};

const ui = { me: 'U0ALICE', surface: 'messages', data: null, drafts: {}, rendered: {}, generation: 0, poller: null };
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

// ---- mrkdwn ---------------------------------------------------------------------------------------

function escapeHtml(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function emojify(text) {
  return text.replace(/:([a-z0-9_+-]+):/g, (all, name) => EMOJI[name] || all);
}

function unescapeSlack(text) {
  return text.replace(/&(amp|lt|gt);/g, (all, name) => ({ amp: '&', lt: '<', gt: '>' })[name]);
}

function personName(id) {
  const person = (ui.data.people || []).find((p) => p.id === id);
  return person ? person.real_name : id;
}

function channelName(id) {
  const channel = (ui.data.channels || []).find((c) => c.id === id);
  return channel ? channel.name : id;
}

function formatDate(seconds, pattern, fallback) {
  try {
    const options = { timeZone: ui.data.me.tz, dateStyle: 'medium' };
    if (/time/.test(pattern)) options.timeStyle = 'short';
    return new Intl.DateTimeFormat('en-GB', options).format(new Date(Number(seconds) * 1000));
  } catch (error) {
    return fallback;
  }
}

// One <…> token of Slack markup, as safe HTML.
function markupHtml(inner) {
  const [target, label] = [inner.split('|')[0], inner.split('|').slice(1).join('|')];
  if (target.startsWith('@')) return `<b class="mention">@${escapeHtml(personName(target.slice(1)))}</b>`;
  if (target.startsWith('#')) return `<b class="mention">#${escapeHtml(label || channelName(target.slice(1)))}</b>`;
  if (target.startsWith('!date^')) {
    const [, seconds, pattern] = target.split('^');
    return escapeHtml(formatDate(seconds, pattern || '', unescapeSlack(label)));
  }
  if (target.startsWith('!')) return escapeHtml('@' + (label || target.slice(1)));
  if (/^(https?:|mailto:)/.test(target)) {
    const href = escapeHtml(unescapeSlack(target));
    return `<a href="${href}" target="_blank" rel="noopener noreferrer">${escapeHtml(unescapeSlack(label || target))}</a>`;
  }
  return escapeHtml(unescapeSlack(inner));
}

function inlineHtml(text) {
  // Placeholders (private-use characters) keep code spans and <…> markup out of the formatting rules.
  const tokens = [];
  const hold = (html) => `\uE000${tokens.push(html) - 1}\uE001`;
  let out = text.replace(/[\uE000\uE001]/g, '');
  out = out.replace(/<([^<>]+)>/g, (all, inner) => hold(markupHtml(inner)));
  out = out.replace(/`([^`\n]+)`/g, (all, code) => hold(`<code>${escapeHtml(unescapeSlack(code))}</code>`));
  out = escapeHtml(emojify(unescapeSlack(out)));
  out = out.replace(/(^|[\s(\uE001])\*([^*\n]+)\*(?=$|[\s).,!?:;\uE000])/g, '$1<b>$2</b>');
  out = out.replace(/(^|[\s(\uE001])_([^_\n]+)_(?=$|[\s).,!?:;\uE000])/g, '$1<i>$2</i>');
  out = out.replace(/(^|[\s(\uE001])~([^~\n]+)~(?=$|[\s).,!?:;\uE000])/g, '$1<s>$2</s>');
  return out.replace(/\uE000(\d+)\uE001/g, (all, index) => tokens[Number(index)]);
}

function mrkdwnHtml(text) {
  // A raw ">" at the start of a line is a quote; a literal one arrives escaped as &gt;.
  return String(text).split('\n').map((line) => (line.startsWith('>')
    ? `<span class="quote">${inlineHtml(line.slice(1)) || '&nbsp;'}</span>`
    : inlineHtml(line))).join('<br>').replace(/<\/span><br>/g, '</span>');
}

function textNode(object, tag = 'span', cls = '') {
  const node = el(tag, { class: cls });
  if (!object) return node;
  if (object.type === 'mrkdwn') node.innerHTML = mrkdwnHtml(object.text || '');
  else node.textContent = object.emoji === false ? object.text || '' : emojify(object.text || '');
  return node;
}

// ---- Block Kit ------------------------------------------------------------------------------------

// ctx: { surface: {kind, view_id|key}, viewId, errors }
function renderBlocks(blocks, ctx) {
  const wrap = el('div', { class: 'blocks' });
  for (const block of blocks || []) wrap.append(renderBlock(block, ctx));
  return wrap;
}

function renderBlock(block, ctx) {
  const node = el('div', { class: `block ${block.type}`, 'data-block-id': block.block_id });
  switch (block.type) {
    case 'header': node.append(textNode(block.text)); break;
    case 'divider': return el('hr', { class: 'divider' });
    case 'section': {
      const main = el('div', { class: 'text' });
      if (block.text) main.append(textNode(block.text, 'div'));
      if (block.fields) {
        const fields = el('div', { class: 'fields' });
        for (const field of block.fields) fields.append(textNode(field, 'div'));
        main.append(fields);
      }
      node.append(main);
      if (block.accessory) node.append(renderElement(block.accessory, block, ctx));
      break;
    }
    case 'context':
      for (const item of block.elements || []) {
        node.append(item.type === 'image' ? el('img', { src: item.image_url, alt: item.alt_text || '' }) : textNode(item));
      }
      break;
    case 'image': {
      const figure = el('figure', { class: 'image' });
      if (block.title) figure.append(textNode(block.title, 'figcaption'));
      figure.append(el('img', { src: block.image_url, alt: block.alt_text || '' }));
      return figure;
    }
    case 'actions':
      for (const element of block.elements || []) node.append(renderElement(element, block, ctx));
      break;
    case 'input': return renderInput(block, ctx);
    default: node.append(el('em', { text: `[${block.type} block]` }));
  }
  return node;
}

function renderElement(element, block, ctx) {
  if (element.type === 'button') {
    const style = element.style ? ` ${element.style}` : '';
    const button = el('button', { class: `sk${style}`, 'data-action-id': element.action_id, type: 'button' }, textNode(element.text));
    button.addEventListener('click', () => {
      if (confirmed(element.confirm)) press(ctx, block.block_id, element.action_id, button);
    });
    return button;
  }
  if (element.type === 'image') return el('img', { src: element.image_url, alt: element.alt_text || '', width: 72 });
  // A menu or picker outside an input block sends block_actions as soon as it changes.
  const picker = control(element, block.block_id, ctx);
  picker.addEventListener('change', () => press(ctx, block.block_id, element.action_id, picker));
  return picker;
}

function confirmed(dialog) {
  if (!dialog) return true;
  const part = (object) => (object && object.text) || '';
  return window.confirm(`${part(dialog.title)}\n\n${part(dialog.text)}`);
}

function draftOf(ctx, blockId, actionId) {
  const drafts = ctx.viewId ? ui.drafts[ctx.viewId] || {} : {};
  return drafts[`${blockId}/${actionId}`];
}

function remember(ctx, blockId, actionId, value) {
  if (!ctx.viewId) return;
  (ui.drafts[ctx.viewId] = ui.drafts[ctx.viewId] || {})[`${blockId}/${actionId}`] = value;
}

function optionsOf(element) {
  const plain = (element.options || []).map((o) => ({ ...o, group: null }));
  const grouped = (element.option_groups || []).flatMap((g) => (g.options || []).map((o) => ({ ...o, group: g.label })));
  return plain.concat(grouped);
}

function selectControl(attrs, choices, chosen, placeholder, multiple) {
  const select = el('select', { ...attrs, multiple });
  if (!multiple) select.append(el('option', { value: '', text: placeholder || 'Choose…' }));
  let group = null;
  let groupNode = null;
  for (const choice of choices) {
    const option = el('option', { value: choice.value, text: choice.label });
    option.selected = multiple ? chosen.includes(choice.value) : chosen === choice.value;
    if (choice.group && choice.group !== group) {
      group = choice.group;
      groupNode = el('optgroup', { label: emojify(group.text || '') });
      select.append(groupNode);
    }
    (choice.group ? groupNode : select).append(option);
  }
  return select;
}

// One stateful control. Its current value is read back by valuesOf() through data-* attributes.
function control(element, blockId, ctx) {
  const actionId = element.action_id;
  const attrs = { 'data-control': element.type, 'data-block': blockId, 'data-action': actionId, id: `${blockId}--${actionId}` };
  const draft = draftOf(ctx, blockId, actionId);
  const keep = (value) => remember(ctx, blockId, actionId, value);
  const placeholder = element.placeholder ? element.placeholder.text : '';
  switch (element.type) {
    case 'plain_text_input': {
      const input = el(element.multiline ? 'textarea' : 'input', {
        ...attrs, type: element.multiline ? undefined : 'text', placeholder, maxlength: element.max_length,
      });
      input.value = draft !== undefined ? draft : element.initial_value || '';
      const wrap = el('div', {}, input);
      if (element.max_length) {
        const counter = el('div', { class: 'counter' });
        const count = () => { counter.textContent = `${input.value.length} / ${element.max_length}`; };
        count();
        input.addEventListener('input', count);
        wrap.append(counter);
      }
      input.addEventListener('input', () => keep(input.value));
      return wrap;
    }
    case 'url_text_input': case 'email_text_input': case 'number_input': {
      const number = element.type === 'number_input';
      const input = el('input', {
        ...attrs,
        type: { url_text_input: 'url', email_text_input: 'email', number_input: 'number' }[element.type],
        placeholder,
        min: number ? element.min_value : undefined,
        max: number ? element.max_value : undefined,
        step: number ? (element.is_decimal_allowed ? 'any' : '1') : undefined,
      });
      input.value = draft !== undefined ? draft : element.initial_value || '';
      input.addEventListener('input', () => keep(input.value));
      return input;
    }
    case 'static_select': case 'multi_static_select': {
      const multiple = element.type === 'multi_static_select';
      const initial = multiple ? (element.initial_options || []).map((o) => o.value) : (element.initial_option || {}).value || '';
      const choices = optionsOf(element).map((o) => ({ value: o.value, label: emojify(o.text.text), group: o.group }));
      const select = selectControl(attrs, choices, draft !== undefined ? draft : initial, placeholder, multiple);
      select.addEventListener('change', () => keep(multiple ? [...select.selectedOptions].map((o) => o.value) : select.value));
      return select;
    }
    case 'users_select': case 'conversations_select': case 'channels_select':
    case 'multi_users_select': case 'multi_conversations_select': case 'multi_channels_select': {
      const multiple = element.type.startsWith('multi_');
      const users = element.type.includes('users');
      const key = { users_select: 'initial_user', conversations_select: 'initial_conversation', channels_select: 'initial_channel',
        multi_users_select: 'initial_users', multi_conversations_select: 'initial_conversations', multi_channels_select: 'initial_channels' }[element.type];
      const choices = users
        ? ui.data.people.map((p) => ({ value: p.id, label: p.real_name }))
        : ui.data.channels.map((c) => ({ value: c.id, label: `#${c.name}` }));
      const initial = element[key] || (multiple ? [] : '');
      const select = selectControl(attrs, choices, draft !== undefined ? draft : initial, placeholder, multiple);
      select.addEventListener('change', () => keep(multiple ? [...select.selectedOptions].map((o) => o.value) : select.value));
      return select;
    }
    case 'radio_buttons': case 'checkboxes': {
      const radio = element.type === 'radio_buttons';
      const initial = radio ? (element.initial_option || {}).value || '' : (element.initial_options || []).map((o) => o.value);
      const chosen = draft !== undefined ? draft : initial;
      const group = el('div', { ...attrs, role: radio ? 'radiogroup' : 'group' });
      for (const option of element.options || []) {
        const input = el('input', { type: radio ? 'radio' : 'checkbox', name: attrs.id, value: option.value });
        input.checked = radio ? chosen === option.value : chosen.includes(option.value);
        input.addEventListener('change', () => keep(radio ? input.value
          : [...group.querySelectorAll('input:checked')].map((i) => i.value)));
        const label = el('label', { class: 'choice' }, input, ' ', textNode(option.text));
        if (option.description) label.append(textNode(option.description, 'span', 'description'));
        group.append(label);
      }
      return group;
    }
    case 'timepicker': case 'datepicker': {
      const time = element.type === 'timepicker';
      const input = el('input', { ...attrs, type: time ? 'time' : 'date' });
      input.value = draft !== undefined ? draft : (time ? element.initial_time : element.initial_date) || '';
      input.addEventListener('input', () => keep(input.value));
      return input;
    }
    default:
      return el('em', { text: `[${element.type}]` });
  }
}

function renderInput(block, ctx) {
  const error = (ctx.errors || {})[block.block_id];
  const node = el('div', { class: `block input${error ? ' has-error' : ''}`, 'data-block-id': block.block_id });
  const label = el('label', { class: 'label', for: `${block.block_id}--${block.element.action_id}` }, textNode(block.label));
  if (block.optional) label.append(el('span', { class: 'optional', text: ' (optional)' }));
  node.append(label, control(block.element, block.block_id, ctx));
  if (error) node.append(el('div', { class: 'field-error', role: 'alert', text: error }));
  if (block.hint) node.append(textNode(block.hint, 'div', 'hint'));
  return node;
}

function valuesOf(root) {
  const values = {};
  for (const node of root.querySelectorAll('[data-control]')) {
    const kind = node.dataset.control;
    let value;
    if (kind === 'radio_buttons') value = (node.querySelector('input:checked') || {}).value || null;
    else if (kind === 'checkboxes') value = [...node.querySelectorAll('input:checked')].map((i) => i.value);
    else if (node.multiple) value = [...node.selectedOptions].map((o) => o.value);
    else value = node.value === '' ? null : node.value;
    (values[node.dataset.block] = values[node.dataset.block] || {})[node.dataset.action] = value;
  }
  return values;
}

// ---- talking to the playground server ---------------------------------------------------------------

async function api(path, body) {
  const response = await fetch(path, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: ui.me, ...body }),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error || `HTTP ${response.status}`);
  if (answer.state) apply(answer.state);
  return answer;
}

// A long poll: the server answers when the app has called the fake Slack again (or after 15 s).
async function poll(generation) {
  if (ui.poller) ui.poller.abort();  // the previous person's poll would hold a connection open
  ui.poller = new AbortController();
  const signal = ui.poller.signal;
  while (generation === ui.generation) {
    const since = ui.data && ui.data.me.id === ui.me ? ui.data.version : '';
    try {
      const response = await fetch(`/api/state?user=${encodeURIComponent(ui.me)}&since=${since}`, { signal });
      const state = await response.json();
      if (generation === ui.generation && response.ok) apply(state);
    } catch (error) {
      if (signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

function apply(state) {
  if (state.me.id !== ui.me) return;
  if (ui.data && ui.data.me.id === state.me.id && state.version < ui.data.version) return;
  ui.data = state;
  render();
}

function press(ctx, blockId, actionId, node) {
  const values = valuesOf(node.closest('[data-values-root]') || node);
  api('/api/press', { surface: ctx.surface, block_id: blockId, action_id: actionId, values }).catch(showError);
}

function showError(error) {
  $('clock-report').textContent = `Playground: ${error.message}`;
}

// ---- the page -----------------------------------------------------------------------------------------

function changed(key, value) {
  const json = JSON.stringify(value);
  if (ui.rendered[key] === json) return false;
  ui.rendered[key] = json;
  return true;
}

function render() {
  const data = ui.data;
  $('person-about').textContent = `${data.me.title} · ${data.me.tz}`;
  $('clock-now').textContent = data.clock.shown;
  if (!$('clock-input').value) $('clock-input').value = data.clock.local;
  for (const button of document.querySelectorAll('.nav')) {
    button.classList.toggle('active', button.dataset.surface === ui.surface);
  }
  renderSurface(data);
  renderModal(data);
}

function conversationId(data) {
  return ui.surface === 'messages' ? data.dm : ui.surface.replace(/^channel:/, '');
}

function renderSurface(data) {
  const home = ui.surface === 'home';
  $('composer').hidden = home;
  const title = home ? 'Kindly · Home' : ui.surface === 'messages' ? 'Kindly · Messages' : `#${channelName(conversationId(data))}`;
  const content = home ? data.home : (data.conversations[conversationId(data)] || []);
  if (!changed('surface', [ui.surface, content, data.people])) return;
  $('surface-title').textContent = title;
  const surface = $('surface');
  surface.replaceChildren();
  if (home) {
    if (!data.home) surface.append(el('div', { class: 'empty', text: 'Opening the Home tab…' }));
    else surface.append(el('div', { 'data-values-root': true }, renderBlocks(data.home.view.blocks, { surface: { kind: 'home' } })));
    return;
  }
  if (!content.length) {
    const hint = ui.surface === 'messages' ? 'This is your conversation with Kindly. Type /kindly below to begin.' : 'No messages yet.';
    surface.append(el('div', { class: 'empty', text: hint }));
  }
  for (const message of content) surface.append(renderMessage(message));
  surface.scrollTop = surface.scrollHeight;
}

function renderMessage(message) {
  const body = el('div', { class: 'message-body' },
    el('div', { class: 'sender' }, 'Kindly', el('span', { class: 'tag', text: 'APP' })));
  if (message.ephemeral) body.append(el('div', { class: 'only-you', text: 'Only visible to you' }));
  const ctx = { surface: { kind: 'message', key: message.key } };
  if (message.blocks && message.blocks.length) body.append(renderBlocks(message.blocks, ctx));
  else body.append(textNode({ type: 'mrkdwn', text: message.text }, 'div'));
  for (const file of message.files || []) body.append(renderFile(file));
  return el('div', { class: `message${message.ephemeral ? ' ephemeral' : ''}`, 'data-message-key': message.key, 'data-values-root': true },
    el('div', { class: 'avatar', text: 'K' }), body);
}

// A shared file, as Slack shows it: its name, downloadable (only by someone in the conversation).
function renderFile(file) {
  const href = `/api/file?user=${encodeURIComponent(ui.me)}&id=${encodeURIComponent(file.id)}`;
  return el('a', { class: 'file', href, download: file.name, 'data-file-id': file.id }, `📄 ${file.name}`);
}

function renderModal(data) {
  const modal = $('modal');
  const top = data.modals[data.modals.length - 1];
  if (!changed('modal', [top || null, data.modals.length])) return;
  modal.replaceChildren();
  modal.hidden = !top;
  if (!top) return;
  const view = top.view;
  const ctx = { surface: { kind: 'modal', view_id: top.view_id }, viewId: top.view_id, errors: top.errors };
  const stacked = data.modals.length > 1;
  const head = el('div', { class: 'modal-head' },
    stacked ? el('button', { title: 'Back', id: 'modal-back', text: '←', onclick: () => closeModal(top, false) }) : null,
    textNode(view.title, 'div', 'modal-title'),
    el('button', { title: 'Close', id: 'modal-x', text: '×', onclick: () => closeModal(top, true) }));
  const body = el('div', { class: 'modal-body' });
  if (top.failure) body.append(el('p', { class: 'modal-failure', role: 'alert', text: top.failure }));
  body.append(renderBlocks(view.blocks, ctx));
  const foot = el('div', { class: 'modal-foot' },
    el('button', { class: 'modal-cancel', id: 'modal-close', type: 'button', onclick: () => closeModal(top, false) },
      textNode(view.close || { type: 'plain_text', text: 'Cancel' })));
  if (view.submit) {
    foot.append(el('button', { class: 'modal-submit', id: 'modal-submit', type: 'button', onclick: () => submitModal(top) },
      textNode(view.submit)));
  }
  modal.append(el('div', {
    class: 'modal-card', role: 'dialog', 'aria-modal': 'true', 'data-view-id': top.view_id, 'data-values-root': true,
  }, head, body, foot));
}

function submitModal(top) {
  api('/api/submit', { view_id: top.view_id, values: valuesOf($('modal')) }).catch(showError);
}

function closeModal(top, everything) {
  api('/api/close', { view_id: top.view_id, everything }).catch(showError);
}

function show(surface) {
  ui.surface = surface;
  if (surface === 'home') api('/api/home', {}).catch(showError);
  if (ui.data) render();
}

function setPerson(userId) {
  ui.me = userId;
  ui.data = null;
  ui.rendered = {};
  ui.drafts = {};
  $('clock-input').value = '';
  ui.generation += 1;
  poll(ui.generation);
  show(ui.surface);
}

async function start() {
  const response = await fetch(`/api/state?user=${encodeURIComponent(ui.me)}`);
  const state = await response.json();
  for (const person of state.people) {
    const suffix = person.is_admin ? ' · HR lead' : '';
    $('person').append(el('option', { value: person.id, text: `${person.real_name} (${person.tz}${suffix})` }));
  }
  for (const channel of state.channels) {
    $('nav-channels').append(el('button', { class: 'nav', 'data-surface': `channel:${channel.id}`, text: `# ${channel.name}` }));
  }
  for (const button of document.querySelectorAll('.nav')) button.addEventListener('click', () => show(button.dataset.surface));
  $('person').addEventListener('change', () => setPerson($('person').value));
  $('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $('composer-input').value.trim();
    if (!text) return;
    const match = /^\/kindly(?:\s+([\s\S]*))?$/.exec(text);
    if (!match) {
      showError(new Error('Kindly listens for /kindly commands here.'));
      return;
    }
    $('composer-input').value = '';
    api('/api/command', { channel: conversationId(ui.data), text: match[1] || '' }).catch(showError);
  });
  $('clock-run').addEventListener('click', () => {
    api('/api/clock', { local: $('clock-input').value })
      .then((answer) => { $('clock-report').textContent = answer.summary; })
      .catch(showError);
  });
  apply(state);
  ui.generation += 1;
  poll(ui.generation);
}

start();
