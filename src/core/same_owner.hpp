// Whether two smart pointers share one owner (control block): how a per-worker scratch tells that
// an entry came from this Composer, Renderer or FaceDetector and not from another, even one made
// at the same address after the first was destroyed (a weak reference keeps its control block).
#pragma once

namespace sdc::detail {

template <class A, class B>
bool same_owner(const A& a, const B& b) noexcept {
  return !a.owner_before(b) && !b.owner_before(a);
}

}  // namespace sdc::detail
