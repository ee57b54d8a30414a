#pragma once
// A strict reader for Python pickles that contain only plain values: dict, list, tuple, str, int,
// float, bool and None (protocols 2 to 5, plus the protocol 0/1 opcodes Python still emits for
// these types). Pickle is a program for a stack machine that can import and call anything; this
// reader implements only the opcodes that build plain values and refuses every other one (GLOBAL,
// REDUCE, BUILD, INST, OBJ, NEWOBJ, STACK_GLOBAL, PERSID, EXT*, bytes, sets, ...) with a
// FormatError naming the opcode and its byte offset. It never executes, imports or allocates beyond
// the input's size.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace teamor::annotations::pickle {

struct None {
  friend bool operator==(None, None) { return true; }
};

/// Reference to a container stored in the Document (containers may be shared through the memo).
struct ListRef {
  std::size_t index;
};
struct TupleRef {
  std::size_t index;
};
struct DictRef {
  std::size_t index;
};
/// Strings are stored once in the Document: memo references to one string cost nothing.
struct StrRef {
  std::size_t index;
};

/// A plain Python value.
using Value = std::variant<None, bool, std::int64_t, double, StrRef, ListRef, TupleRef, DictRef>;

/// Python's name for the type of @p v ("dict", "str", ...), for error messages.
std::string_view type_name(const Value& v);

/// @brief The unpickled value and the containers it refers to. Containers live in flat arrays
/// owned here, so shared or self-referencing containers need no reference counting.
struct Document {
  Value root;
  std::vector<std::string> strings;
  std::vector<std::vector<Value>> lists;
  std::vector<std::vector<Value>> tuples;
  std::vector<std::vector<std::pair<Value, Value>>> dicts;  ///< in insertion order

  const std::string& str(StrRef r) const { return strings.at(r.index); }
  const std::vector<Value>& list(ListRef r) const { return lists.at(r.index); }
  const std::vector<Value>& tuple(TupleRef r) const { return tuples.at(r.index); }
  const std::vector<std::pair<Value, Value>>& dict(DictRef r) const { return dicts.at(r.index); }
};

/// @brief Unpickles @p data.
/// @param file_name for error messages
/// @throws FormatError naming the file, the byte offset and the opcode for anything not plain, and
/// for truncated or malformed data.
Document load(std::string_view data, const std::string& file_name);

}  // namespace teamor::annotations::pickle
