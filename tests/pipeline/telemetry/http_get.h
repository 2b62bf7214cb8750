// HttpGet: one blocking HTTP request with libcurl, for tests of the service's own endpoints
// (health_check, /metrics). Every call has a timeout, so a broken server fails the test instead
// of hanging it.
//
//   HttpAnswer a = HttpGet("http://127.0.0.1:" + std::to_string(port) + "/metrics");
//   EXPECT_EQ(a.status, 200);
//   EXPECT_THAT(a.body, HasSubstr("otelcol_process_uptime_seconds_total"));
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <string>

namespace otlpd::testing {

struct HttpAnswer {
  int status = 0;  // 0: no answer (error says why)
  std::string content_type;
  std::string body;
  std::string error;
};

inline HttpAnswer HttpGet(const std::string& url, const std::string& method = "GET",
                          std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  HttpAnswer answer;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    answer.error = "curl_easy_init failed";
    return answer;
  }
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  if (method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION,
                   +[](char* data, size_t size, size_t n, void* out) -> size_t {
                     static_cast<std::string*>(out)->append(data, size * n);
                     return size * n;
                   });
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer.body);
  const CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) {
    answer.error = curl_easy_strerror(code);
  } else {
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    answer.status = static_cast<int>(status);
    char* type = nullptr;
    curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
    if (type != nullptr) answer.content_type = type;
  }
  curl_easy_cleanup(curl);
  return answer;
}

}  // namespace otlpd::testing
