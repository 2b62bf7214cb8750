#include "extensions/oauth2client/token_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <mutex>

#include "extensions/oauth2client/json_object_scan.h"

namespace otlpd::extension::oauth2client {
namespace {

// Go's oauth2 reads at most 1 MiB of a token answer; a token never needs more.
constexpr size_t kMaxAnswerBytes = 1 << 20;
// Error texts from the server end up in logs: keep them to a line.
constexpr size_t kMaxServerText = 200;

struct Answer {
  std::string body;
  bool too_large = false;
};

size_t OnBody(char* data, size_t size, size_t nmemb, void* user) {
  auto* answer = static_cast<Answer*>(user);
  const size_t n = size * nmemb;
  if (answer->body.size() + n > kMaxAnswerBytes) {
    answer->too_large = true;
    return 0;  // makes curl fail the transfer with CURLE_WRITE_ERROR
  }
  answer->body.append(data, n);
  return n;
}

std::string Trimmed(std::string_view s) {
  std::string out(s.substr(0, kMaxServerText));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string FormUnescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 &&
               HexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Fields of a form-encoded answer; the first value of each key wins (url.Values.Get).
std::map<std::string, std::string> ParseForm(std::string_view body) {
  std::map<std::string, std::string> out;
  while (!body.empty()) {
    const size_t amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    std::string key = FormUnescape(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : FormUnescape(pair.substr(eq + 1));
    out.emplace(std::move(key), std::move(value));
  }
  return out;
}

std::string NormaliseTokenType(const std::string& type) {
  auto iequals = [&](std::string_view want) {
    return type.size() == want.size() &&
           std::equal(type.begin(), type.end(), want.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == b;
           });
  };
  if (type.empty() || iequals("bearer")) return "Bearer";
  if (iequals("mac")) return "MAC";
  if (iequals("basic")) return "Basic";
  return type;
}

// expires_in as a number of seconds; Go also accepts a numeric string. 0 or less means "not
// said". Capped as Go caps it (int32 seconds, about 68 years).
std::optional<std::chrono::seconds> ExpiresIn(double seconds) {
  if (!std::isfinite(seconds) || seconds < 1) return std::nullopt;
  const double capped = std::min(seconds, static_cast<double>(std::numeric_limits<int32_t>::max()));
  return std::chrono::seconds(static_cast<int64_t>(capped));
}

std::optional<std::chrono::seconds> ExpiresIn(std::string_view text) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return ExpiresIn(v);
}

std::string StringMember(const std::map<std::string, JsonMember>& m, const std::string& key) {
  auto it = m.find(key);
  if (it == m.end() || it->second.kind != JsonMember::Kind::kString) return "";
  return it->second.value;
}

bool IsFormContentType(std::string_view content_type) {
  std::string media(content_type.substr(0, content_type.find(';')));
  media.erase(std::remove_if(media.begin(), media.end(),
                             [](unsigned char c) { return std::isspace(c); }),
              media.end());
  std::transform(media.begin(), media.end(), media.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return media == "application/x-www-form-urlencoded" || media == "text/plain";
}

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

std::string FormEscape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
  return out;
}

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  // Stable sort by key keeps the order of repeated values, as url.Values does.
  auto sorted = fields;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (const auto& [k, v] : sorted) {
    if (!out.empty()) out += '&';
    out += FormEscape(k) + "=" + FormEscape(v);
  }
  return out;
}

StatusOr<Token> ParseTokenResponse(int http_status, std::string_view content_type,
                                   std::string_view body, const std::string& token_url) {
  const bool success = http_status >= 200 && http_status <= 299;
  Token token;
  std::string error_code;
  std::string error_description;
  bool parsed = false;
  if (IsFormContentType(content_type)) {
    auto form = ParseForm(body);
    parsed = true;
    token.access_token = form["access_token"];
    token.token_type = NormaliseTokenType(form["token_type"]);
    token.expires_in = ExpiresIn(form["expires_in"]);
    error_code = form["error"];
    error_description = form["error_description"];
  } else if (auto json = ScanJsonObject(body)) {
    parsed = true;
    token.access_token = StringMember(*json, "access_token");
    token.token_type = NormaliseTokenType(StringMember(*json, "token_type"));
    // A number, or (as Go's json.Number also accepts) a string holding one.
    if (auto it = json->find("expires_in");
        it != json->end() && it->second.kind != JsonMember::Kind::kOther) {
      token.expires_in = ExpiresIn(it->second.value);
    }
    error_code = StringMember(*json, "error");
    error_description = StringMember(*json, "error_description");
  }

  const std::string answered = "token endpoint " + token_url + " answered HTTP " +
                               std::to_string(http_status);
  std::string detail;
  if (!error_code.empty()) {
    detail = " (" + Trimmed(error_code);
    if (!error_description.empty()) detail += ": " + Trimmed(error_description);
    detail += ")";
  }
  if (!success) return UnavailableError(answered + detail);
  if (!parsed) return UnavailableError(answered + " with a body that is not a JSON object");
  // RFC 6749 says errors come with 400, but some servers answer 200 with an error field.
  if (!error_code.empty()) return UnavailableError(answered + " with an error" + detail);
  if (token.access_token.empty()) return UnavailableError(answered + " without an access_token");
  return token;
}

TokenClient::TokenClient(TlsConfig tls, std::chrono::milliseconds timeout)
    : tls_(std::move(tls)), timeout_(timeout) {
  InitCurlOnce();
  multi_ = curl_multi_init();
  easy_ = curl_easy_init();
}

TokenClient::~TokenClient() {
  if (easy_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(easy_));
  if (multi_ != nullptr) curl_multi_cleanup(static_cast<CURLM*>(multi_));
}

void TokenClient::Abort() {
  aborted_.store(true);
  if (multi_ != nullptr) curl_multi_wakeup(static_cast<CURLM*>(multi_));
}

FetchResult TokenClient::Fetch(const TokenRequest& request, AuthStyle style) {
  FetchResult result;
  const std::string& url = request.token_url;
  if (aborted_.load()) {
    result.token = Status(StatusCode::kCancelled, "token request to " + url + " cancelled");
    return result;
  }
  auto* multi = static_cast<CURLM*>(multi_);
  auto* easy = static_cast<CURL*>(easy_);
  if (multi == nullptr || easy == nullptr) {
    result.token = UnavailableError("token request to " + url + " failed: cannot initialise curl");
    return result;
  }

  std::vector<std::pair<std::string, std::string>> fields = {
      {"grant_type", "client_credentials"}};
  if (!request.scopes.empty()) {
    std::string scope;
    for (const std::string& s : request.scopes) scope += (scope.empty() ? "" : " ") + s;
    fields.emplace_back("scope", scope);
  }
  for (const auto& [key, values] : request.endpoint_params) {
    // endpoint_params may override grant_type (for non-compliant servers), as in Go.
    if (key == "grant_type") fields.erase(fields.begin());
    for (const std::string& v : values) fields.emplace_back(key, v);
  }
  if (style == AuthStyle::kInParams) {
    if (!request.client_id.empty()) fields.emplace_back("client_id", request.client_id);
    if (!request.client_secret.empty()) {
      fields.emplace_back("client_secret", request.client_secret.Reveal());
    }
  }
  const std::string body = FormEncode(fields);

  curl_easy_reset(easy);  // keeps the connection cache
  Answer answer;
  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/x-www-form-urlencoded");
  headers = curl_slist_append(headers, "Accept: application/json");
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_POST, 1L);
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_buffer);
  if (timeout_.count() > 0) curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  if (style == AuthStyle::kInHeader) {
    // Go escapes both parts before Basic-encoding them (RFC 6749 section 2.3.1).
    const std::string user = FormEscape(request.client_id);
    const std::string password = FormEscape(request.client_secret.Reveal());
    curl_easy_setopt(easy, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(easy, CURLOPT_USERNAME, user.c_str());  // curl copies option strings
    curl_easy_setopt(easy, CURLOPT_PASSWORD, password.c_str());
  }
  if (tls_.insecure_skip_verify) {
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!tls_.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, tls_.ca_file.c_str());
  if (!tls_.cert_file.empty()) curl_easy_setopt(easy, CURLOPT_SSLCERT, tls_.cert_file.c_str());
  if (!tls_.key_file.empty()) curl_easy_setopt(easy, CURLOPT_SSLKEY, tls_.key_file.c_str());

  CURLcode code = CURLE_OK;
  bool aborted = false;
  curl_multi_add_handle(multi, easy);
  for (;;) {
    int running = 0;
    if (curl_multi_perform(multi, &running) != CURLM_OK) {
      code = CURLE_FAILED_INIT;
      break;
    }
    if (running == 0) {
      int queued = 0;
      while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
        if (msg->msg == CURLMSG_DONE && msg->easy_handle == easy) code = msg->data.result;
      }
      break;
    }
    if (aborted_.load()) {
      aborted = true;
      break;
    }
    // Wakes on socket activity, curl's own timers, or Abort()'s curl_multi_wakeup.
    curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
  }
  curl_multi_remove_handle(multi, easy);
  curl_slist_free_all(headers);
  if (aborted) {
    result.token = Status(StatusCode::kCancelled, "token request to " + url + " cancelled");
    return result;
  }
  if (code != CURLE_OK) {
    std::string why = answer.too_large ? "answer larger than 1 MiB"
                      : error_buffer[0] != '\0' ? std::string(error_buffer)
                                                : std::string(curl_easy_strerror(code));
    result.token = UnavailableError("token request to " + url + " failed: " + why);
    return result;
  }
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  char* content_type = nullptr;
  curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &content_type);
  result.http_status = static_cast<int>(status);
  result.token = ParseTokenResponse(result.http_status, content_type ? content_type : "",
                                    answer.body, url);
  return result;
}

}  // namespace otlpd::extension::oauth2client
