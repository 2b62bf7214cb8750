#include "config/yaml_parser.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>
#include <yaml-cpp/yaml.h>

#include <exception>
#include <optional>
#include <sstream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace otlpd::config {
namespace {

// kMaxYamlNodes: anchors and aliases share nodes inside yaml-cpp but become copies here, so a
// small document of nested aliases ("billion laughs") could expand without bound. A config
// with a thousand pipelines has some 20 000 nodes; 100 000 cost about 20 MB. (At a million,
// one 300-byte document took 200 MB, and a few of them in one load more than 1 GB:
// config_fuzzer.)

// Conversion recurses once per level, and an alias inside its own anchor (`a: &x {b: *x}`) is a
// cycle yaml-cpp accepts: both must stop long before the stack does. Real configs nest < 10.
constexpr int kMaxDepth = 100;

std::string ChildPath(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "::" + key;
}

Node::ScalarStyle StyleOf(const std::string& tag) {
  // yaml-cpp tags a plain scalar "?" and any other (quoted, literal, folded) "!". An explicit
  // `!!str` also asks for a string, which is what kQuoted means to the readers.
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return Node::ScalarStyle::kQuoted;
  return Node::ScalarStyle::kPlain;
}

std::string_view KindOf(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Scalar: return "a scalar";
    case YAML::NodeType::Sequence: return "a sequence";
    case YAML::NodeType::Map: return "a map";
    default: return "null";
  }
}

// What a scan of the stream's documents found, without building any of them.
struct DocumentScan {
  size_t count = 0;
  std::optional<YAML::Mark> second;  // where the second document's content starts
  std::optional<YAML::Mark> stuck;   // a token the parser cannot consume (see ScanDocuments)
};

// Sees the document boundaries and the first node of each document; builds nothing.
class DocumentBoundaries : public YAML::EventHandler {
 public:
  // Where the current document started (its first token), and where its content starts.
  const YAML::Mark& start() const { return start_; }
  YAML::Mark content() const { return first_node_.value_or(start_); }

  void OnDocumentStart(const YAML::Mark& mark) override {
    start_ = mark;
    first_node_.reset();
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { SawNode(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { SawNode(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    SawNode(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    SawNode(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    SawNode(mark);
  }
  void OnMapEnd() override {}

 private:
  void SawNode(const YAML::Mark& mark) {
    if (!first_node_) first_node_ = mark;
  }

  YAML::Mark start_ = YAML::Mark::null_mark();
  std::optional<YAML::Mark> first_node_;
};

// Counts the documents of `text` before anything is built, because YAML::LoadAll of yaml-cpp
// 0.7 (Debian 12's) never returns on some bad input: a token that cannot start a node at the
// top level of a document (a stray `,`) becomes a null document without being consumed, so the
// next document starts at the same token, and LoadAll appends null documents until memory runs
// out (config_fuzzer; fixed upstream after 0.8.0). Every real document consumes at least one
// token, so a document that starts where the previous one did is that loop: the scan stops
// there and reports the token. May throw YAML::Exception, like LoadAll.
DocumentScan ScanDocuments(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentBoundaries boundaries;
  DocumentScan scan;
  int previous_start = -1;
  while (parser.HandleNextDocument(boundaries)) {
    if (boundaries.start().pos == previous_start) {
      scan.stuck = boundaries.content();
      return scan;
    }
    previous_start = boundaries.start().pos;
    if (++scan.count == 2) scan.second = boundaries.content();
  }
  return scan;
}

class Converter {
 public:
  Converter(const YamlPlacement& placement, Errors& errors)
      : placement_(placement), errors_(errors) {}

  bool failed() const { return failed_; }

  Location At(const YAML::Mark& mark) const {
    if (placement_.fixed) return *placement_.fixed;
    if (mark.line < 0) return Location{placement_.file, 0, 0};
    int line = placement_.first_line + mark.line;
    int column = (mark.line == 0 ? placement_.first_column : 1) + mark.column;
    return Location{placement_.file, line, column};
  }

  void Fail(Location location, const std::string& path, std::string message) {
    failed_ = true;
    errors_.Add(std::move(location), path, "yaml: " + std::move(message));
  }

  // `key_location` is set for a map value: an empty value (`batch:`) has no text of its own and
  // yaml-cpp marks it at the next token, often on a later line, so it takes its key's place.
  Node Convert(const YAML::Node& y, const std::string& path, const Location* key_location) {
    DepthGuard guard(depth_);
    if (depth_ > kMaxDepth) {
      if (!too_deep_) {
        too_deep_ = true;
        Fail(At(y.Mark()), path,
             "nested deeper than " + std::to_string(kMaxDepth) +
                 " levels (an alias inside its own anchor?)");
      }
      return Node::Null(At(y.Mark()));
    }
    if (budget_ == 0) {
      if (!too_large_) {
        too_large_ = true;
        Fail(At(y.Mark()), path,
             "document too large (more than " + std::to_string(kMaxYamlNodes) +
                 " nodes after aliases)");
      }
      return Node::Null(At(y.Mark()));
    }
    --budget_;
    Location location = At(y.Mark());
    switch (y.Type()) {
      case YAML::NodeType::Scalar:
        return Node::Scalar(y.Scalar(), std::move(location), StyleOf(y.Tag()));
      case YAML::NodeType::Sequence: {
        Node seq = Node::Sequence(std::move(location));
        size_t i = 0;
        for (const YAML::Node& item : y) {
          seq.mutable_items().push_back(
              Convert(item, path + "[" + std::to_string(i) + "]", nullptr));
          ++i;
        }
        return seq;
      }
      case YAML::NodeType::Map: {
        Node map = Node::Map(std::move(location));
        std::unordered_map<std::string, Location> seen;
        std::vector<YAML::Node> merges;
        for (auto it = y.begin(); it != y.end(); ++it) {
          // Copies, not references: `it->` yields a temporary pair that dies with the line.
          const YAML::Node key = it->first;
          const YAML::Node value_node = it->second;
          Location key_loc = At(key.Mark());
          if (!key.IsScalar()) {
            Fail(key_loc, path, "map keys must be scalars, got " + std::string(KindOf(key)));
            continue;
          }
          const std::string& name = key.Scalar();
          if (name == "<<" && key.Tag() == "?") {
            merges.push_back(value_node);
            continue;
          }
          std::string key_path = ChildPath(path, name);
          auto [first, inserted] = seen.emplace(name, key_loc);
          if (!inserted) {
            Fail(key_loc, key_path,
                 "mapping key \"" + name + "\" already defined at line " +
                     std::to_string(first->second.line));
            continue;
          }
          Node value = Convert(value_node, key_path, &key_loc);
          map.mutable_entries().push_back(MapEntry{name, std::move(key_loc), std::move(value)});
        }
        for (const YAML::Node& source : merges) MergeKey(source, path, map, seen);
        return map;
      }
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        break;
    }
    if (key_location != nullptr && location.line != key_location->line) {
      location = *key_location;
    }
    return Node::Null(std::move(location));
  }

 private:
  // YAML's merge key (`<<: *defaults`, or `<<: [*a, *b]`), which yaml-cpp parses as an ordinary
  // key but Go's yaml.v3, and so the Collector, honours: keys written in the map win, then the
  // merged maps in order. Merged entries keep the locations of the text they came from.
  void MergeKey(const YAML::Node& source, const std::string& path, Node& map,
                std::unordered_map<std::string, Location>& seen) {
    std::vector<YAML::Node> sources;
    if (source.IsMap()) {
      sources.push_back(source);
    } else if (source.IsSequence()) {
      for (const YAML::Node& item : source) sources.push_back(item);
    }
    for (const YAML::Node& s : sources) {
      if (!s.IsMap()) {
        Fail(At(s.Mark()), path, "merge key \"<<\" takes a map or a sequence of maps, got " +
                                     std::string(KindOf(s)));
        continue;
      }
      Node merged = Convert(s, path, nullptr);
      for (MapEntry& e : merged.mutable_entries()) {
        if (seen.emplace(e.key, e.key_location).second) {
          map.mutable_entries().push_back(std::move(e));
        }
      }
    }
    if (sources.empty()) {
      Fail(At(source.Mark()), path, "merge key \"<<\" takes a map or a sequence of maps, got " +
                                        std::string(KindOf(source)));
    }
  }

  class DepthGuard {
   public:
    explicit DepthGuard(int& depth) : depth_(depth) { ++depth_; }
    ~DepthGuard() { --depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    int& depth_;
  };

  const YamlPlacement& placement_;
  Errors& errors_;
  size_t own_budget_ = kMaxYamlNodes;
  // Nodes left to create: the caller's shared budget, or this parse's own.
  size_t& budget_ = placement_.node_budget != nullptr ? *placement_.node_budget : own_budget_;
  bool too_large_ = false;
  int depth_ = 0;          // Convert calls on the stack
  bool too_deep_ = false;  // reported once, not once per branch
  bool failed_ = false;
};

}  // namespace

std::optional<Node> ParseYaml(std::string_view text, const YamlPlacement& placement,
                              Errors& errors) {
  Converter converter(placement, errors);
  // yaml-cpp reports bad input by throwing, from parsing and from node accessors alike; nothing
  // may escape config/, so the whole conversion runs inside the try.
  try {
    const std::string owned(text);
    const DocumentScan scan = ScanDocuments(owned);
    if (scan.stuck) {
      const YAML::Mark& at = *scan.stuck;
      const std::string token =
          at.pos >= 0 && static_cast<size_t>(at.pos) < owned.size() ? owned.substr(at.pos, 1) : "";
      converter.Fail(converter.At(at), placement.path,
                     "did not find expected node content (found \"" + token + "\")");
      return std::nullopt;
    }
    if (scan.count == 0) return Node::Null(converter.At(YAML::Mark::null_mark()));
    if (scan.count > 1) {
      converter.Fail(converter.At(scan.second.value_or(YAML::Mark::null_mark())), placement.path,
                     "only one document is supported, found " + std::to_string(scan.count));
      return std::nullopt;
    }
    // One document, and the scan saw it end: Load parses exactly that document once.
    const YAML::Node doc = YAML::Load(owned);
    Node root = converter.Convert(doc, placement.path, nullptr);
    if (converter.failed()) return std::nullopt;
    return root;
  } catch (const YAML::Exception& e) {
    converter.Fail(converter.At(e.mark), placement.path, e.msg);
  } catch (const std::exception& e) {
    converter.Fail(Location{placement.file, 0, 0}, placement.path, e.what());
  }
  return std::nullopt;
}

}  // namespace otlpd::config
