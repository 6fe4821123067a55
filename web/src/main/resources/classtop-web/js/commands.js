// What the plugins declare about their commands, for the pages that show commands: descriptions per language
// and which commands are reads (they change nothing; kept out of "Recent commands", hidden in the history
// unless asked). Asked of /api/plugins at most once a minute.
import { api } from './api.js';
import { getLang } from './i18n.js';

const FRESH_MS = 60000;
let cached = null;
let cachedAt = 0;

/** Every declared command: {name, plugin, description, descriptions, params_example, read}. */
export function declaredCommands() {
  if (!cached || Date.now() - cachedAt > FRESH_MS) {
    cachedAt = Date.now();
    cached = api('/api/plugins').then((plugins) => plugins.flatMap((plugin) =>
      (plugin.commands || []).map((c) => ({ ...c, plugin: plugin.id }))));
    cached.catch(() => { cached = null; });
  }
  return cached;
}

/** The names of the commands declared as reads. */
export async function readCommandNames() {
  try {
    return new Set((await declaredCommands()).filter((c) => c.read).map((c) => c.name));
  } catch {
    return new Set(); // unknown: nothing is hidden
  }
}

/** A command's description in the UI's language (declared per language by its plugin), else its default one. */
export function commandDescription(command) {
  const own = command.descriptions || {};
  return own[getLang()] || own[getLang().split('-')[0]] || command.description || '';
}
