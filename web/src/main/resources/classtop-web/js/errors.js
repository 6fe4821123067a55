// The server's error sentences in the UI's language, by the error's `code` (the API speaks English).
// Each code lists the shapes of its English sentence: a pattern capturing the sentence's values, and the
// sentence per language with {1}, {2}… for them. A sentence that matches no shape of its code (a new code,
// a reworded sentence) is shown as the server wrote it: never a wrong translation, at worst an English one.
import { getLang } from './i18n.js';

const ANY = /^[\s\S]*$/;

const SHAPES = {
  INVALID_CREDENTIALS: [[ANY, { 'zh-CN': '用户名或密码错误。' }]],
  UNAUTHORIZED: [[ANY, { 'zh-CN': '请先登录。' }]],
  INVALID_TOKEN: [[ANY, { 'zh-CN': '登录已失效或令牌无效，请重新登录。' }]],
  CSRF_REJECTED: [[ANY, { 'zh-CN': '此操作需要当前会话的验证信息，请刷新页面后重试。' }]],
  FORBIDDEN: [
    [/^Your role \((\w+)\) may not do this; it needs the (\w+) role\.$/,
      { 'zh-CN': '你的角色（{1}）无权执行此操作，需要 {2} 角色。' }],
  ],
  INTERNAL_ERROR: [[ANY, { 'zh-CN': '服务器处理此请求时出错，错误已记录。' }]],
  PAYLOAD_TOO_LARGE: [
    [/^The request body is larger than the limit of 1 MiB\.$/, { 'zh-CN': '请求内容超过 1 MiB 的上限。' }],
    [/^The upload is larger than the limit of (\d+) bytes \((.+)\)\.$/, { 'zh-CN': '上传的内容超过 {1} 字节的上限（{2}）。' }],
  ],
  // The Plugins page (SPEC section 7).
  NOT_A_JAR: [[ANY, { 'zh-CN': '上传的文件不是 jar 文件。' }]],
  NOT_A_PLUGIN: [[ANY, { 'zh-CN': '该 jar 不是 ClassTop 插件：它的 MANIFEST 没有 Plugin-Id。' }]],
  INVALID_PLUGIN_ID: [[/^The Plugin-Id '(.*)' breaks the id rule/,
    { 'zh-CN': 'Plugin-Id“{1}”不符合规则：2 到 64 个小写字母、数字和连字符，以字母开头。' }]],
  INVALID_PLUGIN_VERSION: [[/^Plugin '(.+?)' needs a Plugin-Version/,
    { 'zh-CN': '插件 {1} 的 MANIFEST 需要形如 1.2.0 的 Plugin-Version。' }]],
  NO_EXTENSIONS: [[/^Plugin '(.+?)' (lists no extension|has no ServerPlugin or AgentPlugin extension)/,
    { 'zh-CN': '插件 {1} 没有 ServerPlugin 或 AgentPlugin 扩展：它的 META-INF/extensions.idx 需要列出这些类。' }]],
  PLUGIN_REQUIRES: [[/^Plugin '(.+?)' needs ClassTop (.+); this server is (.+)\.$/,
    { 'zh-CN': '插件 {1} 需要 ClassTop {2}；此服务器是 {3}。' }]],
  MISSING_DEPENDENCY: [
    [/^Plugin '(.+?)' needs plugin '(.+?)', which is not installed\.$/, { 'zh-CN': '插件 {1} 需要插件 {2}，但它没有安装。' }],
    [/^Plugin '(.+?)' needs plugin '(.+?)', which is (\w+)\.$/, { 'zh-CN': '插件 {1} 需要插件 {2}，但它的状态是 {3}。' }],
  ],
  VERSION_NOT_HIGHER: [[/^Plugin '(.+?)' (\S+) is already installed;/,
    { 'zh-CN': '插件 {1} {2} 已安装；要升级，请上传更高的 Plugin-Version。' }]],
  BUILT_IN: [
    [/^Plugin '(.+?)' is built into this server[;,]? (and )?(it )?cannot be replaced/, { 'zh-CN': '插件 {1} 内置于服务器，不能用上传的 jar 替换。' }],
    [/^Plugin '(.+?)' is built into this server[;,]? (and )?(it )?cannot be removed/, { 'zh-CN': '插件 {1} 内置于服务器，不能移除。' }],
    [/^Plugin '(.+?)' is built into this server[;,]? (and )?(it )?cannot be (disabled|switched off|turned off)/,
      { 'zh-CN': '插件 {1} 内置于服务器，不能停用。' }],
    [/^Plugin '(.+?)' is built into this server/, { 'zh-CN': '插件 {1} 内置于服务器，不能在此更改。' }],
  ],
  PLUGIN_STOPPING: [[/^Plugin '(.+?)' is stopping/, { 'zh-CN': '插件 {1} 正在停止，请稍后再试。' }]],
  INVALID_SETTING: [
    [/^Setting '(.+?)' must be [^;]+; (a list|an object) is not\.$/, { 'zh-CN': '设置 {1} 的值必须是单个值，不能是列表或对象。' }],
    [/^Setting '(.+?)' must be any text; (.+) is not\.$/, { 'zh-CN': '设置 {1} 必须是文本；{2} 不是。' }],
    [/^Setting '(.+?)' must be a whole number between (-?\d+) and (-?\d+)[^;]*; (.+) is not\.$/,
      { 'zh-CN': '设置 {1} 必须是 {2} 到 {3} 之间的整数，例如 30；{4} 不是。' }],
    [/^Setting '(.+?)' must be a whole number[^;]*; (.+) is not\.$/, { 'zh-CN': '设置 {1} 必须是整数，例如 30；{2} 不是。' }],
    [/^Setting '(.+?)' must be true or false; (.+) is not\.$/, { 'zh-CN': '设置 {1} 必须是 true 或 false；{2} 不是。' }],
    [/^Setting '(.+?)' must be a duration[^;]*; (.+) is not\.$/,
      { 'zh-CN': '设置 {1} 必须是时长，例如 30s、250ms、5m 或 PT30S；{2} 不是。' }],
    [/^Plugin '(.+?)' has no setting '(.+?)'; it declares none\.$/, { 'zh-CN': '插件 {1} 没有设置 {2}；它没有声明任何设置。' }],
    [/^Plugin '(.+?)' has no setting '(.+?)'; its settings are (.+)\.$/, { 'zh-CN': '插件 {1} 没有设置 {2}；它的设置有：{3}。' }],
  ],
  PLUGIN_NEEDED: [[/^Plugin '(.+?)' is needed by plugins? (.+): remove/, { 'zh-CN': '插件 {2} 依赖插件 {1}：请先移除它们。' }]],
  PLUGIN_NOT_FOUND: [[/^There is no plugin '(.+)'\.$/, { 'zh-CN': '没有插件 {1}。' }]],
  INVALID_JSON: [[ANY, { 'zh-CN': '请求内容不是有效的 JSON。' }]],
  CLIENT_OFFLINE: [
    [/^Client (.+) is offline\.$/, { 'zh-CN': '客户端 {1} 离线。' }],
    [/^Client (.+) disconnected before answering '(.+)'\.$/, { 'zh-CN': '客户端 {1} 在回复“{2}”之前断开了连接。' }],
  ],
  CLIENT_BUSY: [[/^Client (.+?) is not reading its messages/, { 'zh-CN': '客户端 {1} 没有及时读取消息（积压过多），请稍后再试。' }]],
  COMMAND_TIMEOUT: [[/^Client (.+) did not answer '(.+)' within (.+)\.$/, { 'zh-CN': '客户端 {1} 未在 {3} 内回复“{2}”。' }]],
  CLIENT_ONLINE: [[/^Client '(.+)' is connected;/, { 'zh-CN': '客户端 {1} 仍在线；请先拒绝它或停止它的代理程序，再移除。' }]],
  USER_EXISTS: [[/^A user named '(.+)' already exists\.$/, { 'zh-CN': '用户“{1}”已存在。' }]],
  USER_NOT_FOUND: [[/^No user named '(.+)' exists\.$/, { 'zh-CN': '用户“{1}”不存在。' }]],
  CANNOT_CHANGE_SELF: [[ANY, { 'zh-CN': '不能降级或停用你当前登录的用户。' }]],
  CANNOT_DELETE_SELF: [[ANY, { 'zh-CN': '不能删除你当前登录的用户。' }]],
  LAST_ADMIN: [[ANY, { 'zh-CN': '至少要保留一个可用的管理员。' }]],
  TOO_MANY_TOKENS: [[/^There are already (\d+) API tokens/, { 'zh-CN': '已有 {1} 个未撤销且未过期的 API 令牌，请先撤销一个再创建。' }]],
  TOKEN_NOT_FOUND: [[/^No (API|enrolment) token with id '?([^' ]+)'? exists\.$/, { 'zh-CN': '令牌 {2} 不存在。' }]],
  NOT_FOUND: [
    [/^No API route matches (.+)\.?$/, { 'zh-CN': '没有与 {1} 对应的接口。' }],
    [/^There is no plugin '(.+)'\.$/, { 'zh-CN': '没有插件 {1}。' }],
  ],
  URI_TOO_LONG: [[ANY, { 'zh-CN': '网址过长。' }]],
};

/**
 * A refused setting whose sentence matches no shape (reworded): said from the answer's data {setting, type}, by
 * the type's words, without the value given.
 */
const SETTING_TYPES = {
  'zh-CN': { string: '文本', int: '整数（-2147483648 到 2147483647）', long: '整数', bool: 'true 或 false',
    duration: '时长，例如 30s、5m 或 1h' },
};
const BY_DATA = {
  INVALID_SETTING: (data, lang) => {
    const type = SETTING_TYPES[lang]?.[String(data.type || '').toLowerCase()];
    if (!data.setting || !type) return null;
    return { 'zh-CN': `设置 ${data.setting} 的值必须是${type}。` }[lang] || null;
  },
};

/**
 * The sentence for an error of `code` whose English sentence is `sentence`, in the UI's language; data is the
 * answer's data (what a refusal names), for codes that can be said from it when the sentence has no known shape.
 */
export function localizeError(code, sentence, lang = getLang(), data = null) {
  if (lang === 'en' || !code || !sentence) return sentence;
  for (const [pattern, texts] of SHAPES[code] || []) {
    const match = pattern.exec(sentence);
    const text = match && texts[lang];
    if (text) return text.replace(/\{(\d)\}/g, (whole, i) => match[Number(i)] ?? whole);
  }
  if (data && typeof data === 'object' && BY_DATA[code]) return BY_DATA[code](data, lang) || sentence;
  return sentence;
}
