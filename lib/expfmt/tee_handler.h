// Forwards every event to two handlers, in order: lets one parse feed both a
// validator-side consumer and the Linter.
#pragma once

#include "expfmt/events.h"

namespace promvet::expfmt {

class TeeHandler : public Handler {
 public:
  TeeHandler(Handler& first, Handler& second) : first_(first), second_(second) {}
  void on_metadata(const Metadata& m) override {
    first_.on_metadata(m);
    second_.on_metadata(m);
  }
  void on_sample(const Sample& s) override {
    first_.on_sample(s);
    second_.on_sample(s);
  }
  void on_error(const Diagnostic& d) override {
    first_.on_error(d);
    second_.on_error(d);
  }

 private:
  Handler& first_;
  Handler& second_;
};

}  // namespace promvet::expfmt
