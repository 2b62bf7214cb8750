#include "exporters/helper/cancel_token.h"

#include <utility>

namespace otlpd::exporter::helper {

CancelToken::Registration& CancelToken::Registration::operator=(Registration&& other) noexcept {
  if (this != &other) {
    Reset();
    token_ = std::exchange(other.token_, nullptr);
    id_ = other.id_;
  }
  return *this;
}

void CancelToken::Registration::Reset() {
  if (token_ == nullptr) return;
  std::lock_guard lock(token_->mu_);
  token_->callbacks_.erase(id_);
  token_ = nullptr;
}

void CancelToken::Cancel() {
  std::lock_guard lock(mu_);
  if (cancelled_.exchange(true, std::memory_order_acq_rel)) return;
  for (auto& [id, fn] : callbacks_) fn();
}

CancelToken::Registration CancelToken::OnCancel(std::function<void()> fn) {
  std::lock_guard lock(mu_);
  if (cancelled()) {
    fn();
    return Registration();
  }
  const uint64_t id = next_id_++;
  callbacks_.emplace(id, std::move(fn));
  return Registration(this, id);
}

}  // namespace otlpd::exporter::helper
