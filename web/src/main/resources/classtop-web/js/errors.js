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
  PAYLOAD_TOO_LARGE: [[ANY, { 'zh-CN': '请求内容超过 1 MiB 的上限。' }]],
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
  NOT_FOUND: [[/^No API route matches (.+)\.?$/, { 'zh-CN': '没有与 {1} 对应的接口。' }]],
  URI_TOO_LONG: [[ANY, { 'zh-CN': '网址过长。' }]],
};

/** The sentence for an error of `code` whose English sentence is `sentence`, in the UI's language. */
export function localizeError(code, sentence, lang = getLang()) {
  if (lang === 'en' || !code || !sentence) return sentence;
  for (const [pattern, texts] of SHAPES[code] || []) {
    const match = pattern.exec(sentence);
    const text = match && texts[lang];
    if (text) return text.replace(/\{(\d)\}/g, (whole, i) => match[Number(i)] ?? whole);
  }
  return sentence;
}
