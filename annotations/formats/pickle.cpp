#include "annotations/formats/pickle.h"

#include <cstring>
#include <unordered_map>

#include "annotations/formats/format_support.h"
#include "common/error.h"

namespace teamor::annotations::pickle {
namespace {

// Opcode names for the refusals, so the message says what the file tried to do.
const char* opcode_name(unsigned char op) {
  switch (op) {
    case 'c':
      return "GLOBAL (import a Python object)";
    case 0x93:
      return "STACK_GLOBAL (import a Python object)";
    case 'R':
      return "REDUCE (call a Python object)";
    case 'b':
      return "BUILD (set an object's state)";
    case 'i':
      return "INST (create an object)";
    case 'o':
      return "OBJ (create an object)";
    case 0x81:
      return "NEWOBJ (create an object)";
    case 0x92:
      return "NEWOBJ_EX (create an object)";
    case 'P':
      return "PERSID (persistent reference)";
    case 'Q':
      return "BINPERSID (persistent reference)";
    case 0x82:
    case 0x83:
    case 0x84:
      return "EXT (extension registry object)";
    case 'B':
    case 'C':
    case 0x8e:
      return "BINBYTES (bytes)";
    case 0x96:
      return "BYTEARRAY8 (bytearray)";
    case 0x97:
    case 0x98:
      return "out-of-band buffer";
    case 0x8f:
    case 0x90:
    case 0x91:
      return "set / frozenset";
    case 'S':
    case 'T':
    case 'U':
      return "STRING (Python 2 str)";
    default:
      return nullptr;
  }
}

class Unpickler {
 public:
  Unpickler(std::string_view data, const std::string& file) : d_(data), file_(file) {}

  Document run() {
    while (true) {
      if (pos_ >= d_.size())
        fail(d_.size(), "the pickle ends without a STOP opcode (truncated file?)");
      const std::size_t at = pos_;
      const auto op = static_cast<unsigned char>(d_[pos_++]);
      switch (op) {
        case 0x80: {  // PROTO
          unsigned v = u8(at);
          if (v > 5) fail(at, "pickle protocol " + std::to_string(v) + " is newer than 5");
          break;
        }
        case 0x95:
          skip(8, at);
          break;     // FRAME: framing only, the content follows inline
        case '.': {  // STOP
          if (stack_.size() != 1 || !marks_.empty())
            fail(at, "STOP with " + std::to_string(stack_.size()) +
                         " values on the stack; expected exactly one (malformed pickle)");
          doc_.root = stack_.back();
          return std::move(doc_);
        }
        case '(':
          marks_.push_back(stack_.size());
          break;  // MARK
        case '0':
          pop(at);
          break;  // POP
        case '1':
          pop_mark(at);
          break;  // POP_MARK
        case '2':
          push(top(at));
          break;  // DUP
        case 'N':
          push(None{});
          break;
        case 0x88:
          push(true);
          break;
        case 0x89:
          push(false);
          break;
        case 'J':
          push(static_cast<std::int64_t>(static_cast<std::int32_t>(le(4, at))));
          break;
        case 'K':
          push(static_cast<std::int64_t>(le(1, at)));
          break;
        case 'M':
          push(static_cast<std::int64_t>(le(2, at)));
          break;
        case 0x8a:
          push(long_int(le(1, at), at));
          break;      // LONG1
        case 0x8b: {  // LONG4
          std::uint64_t n = le(4, at);
          if (n > 8) fail(at, "integer of " + std::to_string(n) + " bytes does not fit 64 bits");
          push(long_int(n, at));
          break;
        }
        case 'G': {  // BINFLOAT, big-endian IEEE 754
          std::uint64_t bits = 0;
          for (int i = 0; i < 8; ++i)
            bits = (bits << 8) | u8(at);
          double x;
          std::memcpy(&x, &bits, sizeof x);
          push(x);
          break;
        }
        case 'I':
          text_int(at, false);
          break;
        case 'L':
          text_int(at, true);
          break;
        case 'F': {
          std::string line = read_line(at);
          double x;
          if (!detail::parse_number(line, x)) fail(at, "FLOAT with text '" + line + "'");
          push(x);
          break;
        }
        case 'V':  // UNICODE (protocol 0)
          push(raw_unicode(read_line(at), at));
          break;
        case 0x8c:
          push(string(le(1, at), at));
          break;  // SHORT_BINUNICODE
        case 'X':
          push(string(le(4, at), at));
          break;  // BINUNICODE
        case 0x8d:
          push(string(le(8, at), at));
          break;  // BINUNICODE8
        case '}':
          push(new_dict());
          break;
        case ']':
          push(new_list());
          break;
        case ')':
          push(new_tuple({}));
          break;
        case 0x85:
          tuple_n(1, at);
          break;
        case 0x86:
          tuple_n(2, at);
          break;
        case 0x87:
          tuple_n(3, at);
          break;
        case 't':
          push(new_tuple(pop_mark(at)));
          break;     // TUPLE
        case 'l': {  // LIST
          auto items = pop_mark(at);
          ListRef r = new_list();
          doc_.lists[r.index] = std::move(items);
          push(r);
          break;
        }
        case 'd': {  // DICT
          auto items = pop_mark(at);
          DictRef r = new_dict();
          set_items(r, items, at);
          push(r);
          break;
        }
        case 'a': {  // APPEND
          Value v = pop(at);
          doc_.lists[as_list(top(at), at).index].push_back(std::move(v));
          break;
        }
        case 'e': {  // APPENDS
          auto items = pop_mark(at);
          auto& list = doc_.lists[as_list(top(at), at).index];
          list.insert(list.end(), items.begin(), items.end());
          break;
        }
        case 's': {  // SETITEM
          Value v = pop(at);
          Value k = pop(at);
          set_items(as_dict(top(at), at), {k, v}, at);
          break;
        }
        case 'u': {  // SETITEMS
          auto items = pop_mark(at);
          set_items(as_dict(top(at), at), items, at);
          break;
        }
        case 0x94:
          memo_[memo_.size()] = top(at);
          break;  // MEMOIZE
        case 'q':
          memo_[le(1, at)] = top(at);
          break;  // BINPUT
        case 'r':
          memo_[le(4, at)] = top(at);
          break;  // LONG_BINPUT
        case 'p':
          memo_[text_index(at)] = top(at);
          break;  // PUT
        case 'h':
          push(memo_get(le(1, at), at));
          break;  // BINGET
        case 'j':
          push(memo_get(le(4, at), at));
          break;  // LONG_BINGET
        case 'g':
          push(memo_get(text_index(at), at));
          break;
        default: {
          const char* name = opcode_name(op);
          if (name != nullptr)
            fail(at, std::string("refused opcode ") + name +
                         ": this reader accepts only plain values (dict, list, tuple, str, int, "
                         "float, bool, None) and never runs code from a file");
          char hex[8];
          std::snprintf(hex, sizeof hex, "0x%02x", op);
          fail(at, std::string("unknown pickle opcode ") + hex + " (not a pickle, or corrupted)");
        }
      }
    }
  }

 private:
  [[noreturn]] void fail(std::size_t at, const std::string& what) const {
    throw FormatError(what, file_, "byte " + std::to_string(at));
  }

  unsigned u8(std::size_t at) {
    if (pos_ >= d_.size()) fail(at, "truncated pickle: the opcode's argument is cut off");
    return static_cast<unsigned char>(d_[pos_++]);
  }
  std::uint64_t le(int n, std::size_t at) {
    if (d_.size() - pos_ < static_cast<std::size_t>(n))
      fail(at, "truncated pickle: the opcode needs " + std::to_string(n) + " argument bytes");
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i)
      v |= static_cast<std::uint64_t>(static_cast<unsigned char>(d_[pos_ + i])) << (8 * i);
    pos_ += n;
    return v;
  }
  void skip(std::size_t n, std::size_t at) {
    if (d_.size() - pos_ < n) fail(at, "truncated pickle");
    pos_ += n;
  }
  std::string read_line(std::size_t at) {
    auto nl = d_.find('\n', pos_);
    if (nl == std::string_view::npos) fail(at, "truncated pickle: text argument without newline");
    std::string line(d_.substr(pos_, nl - pos_));
    pos_ = nl + 1;
    return line;
  }
  void text_int(std::size_t at, bool is_long) {
    std::string line = read_line(at);
    if (!is_long && line == "01") return push(true);
    if (!is_long && line == "00") return push(false);
    if (is_long && !line.empty() && line.back() == 'L') line.pop_back();
    try {
      std::size_t used = 0;
      long long v = std::stoll(line, &used);
      if (used != line.size()) throw std::invalid_argument(line);
      push(static_cast<std::int64_t>(v));
    } catch (const std::exception&) {
      fail(at, "integer text '" + line + "' is not a 64-bit integer");
    }
  }
  std::size_t text_index(std::size_t at) {
    std::string line = read_line(at);
    try {
      std::size_t used = 0;
      unsigned long long v = std::stoull(line, &used);
      if (used != line.size()) throw std::invalid_argument(line);
      return v;
    } catch (const std::exception&) {
      fail(at, "memo index '" + line + "' is not a number");
    }
  }
  Value long_int(std::uint64_t n, std::size_t at) {
    if (n > 8) fail(at, "integer of " + std::to_string(n) + " bytes does not fit 64 bits");
    if (n == 0) return std::int64_t{0};
    std::uint64_t v = le(static_cast<int>(n), at);
    if (n < 8 && (v >> (8 * n - 1)) & 1) v |= ~std::uint64_t{0} << (8 * n);  // sign-extend
    return static_cast<std::int64_t>(v);
  }
  Value string(std::uint64_t n, std::size_t at) {
    if (n > d_.size() - pos_)
      fail(at, "truncated pickle: string of " + std::to_string(n) +
                   " bytes runs past the end of the file");
    std::string s(d_.substr(pos_, n));
    pos_ += n;
    try {
      detail::require_utf8(s, file_);
    } catch (const FormatError&) {
      fail(at, "string is not valid UTF-8");
    }
    doc_.strings.push_back(std::move(s));
    return StrRef{doc_.strings.size() - 1};
  }

  // Protocol 0 text strings are raw-unicode-escape: \uXXXX / \UXXXXXXXX escapes, other bytes
  // are Latin-1 code points.
  Value raw_unicode(const std::string& line, std::size_t at) {
    std::string out;
    auto put = [&](std::uint32_t cp) {
      if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        fail(at, "UNICODE string holds an invalid code point");
      if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
      } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      }
    };
    for (std::size_t i = 0; i < line.size(); ++i) {
      const auto c = static_cast<unsigned char>(line[i]);
      if (c == '\\' && i + 1 < line.size() && (line[i + 1] == 'u' || line[i + 1] == 'U')) {
        const std::size_t n = line[i + 1] == 'u' ? 4 : 8;
        if (i + 2 + n > line.size()) fail(at, "truncated \\u escape in a UNICODE string");
        std::uint32_t cp = 0;
        for (std::size_t k = 0; k < n; ++k) {
          const char h = line[i + 2 + k];
          int v = h >= '0' && h <= '9'   ? h - '0'
                  : h >= 'a' && h <= 'f' ? h - 'a' + 10
                  : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                         : -1;
          if (v < 0) fail(at, "bad hex digit in a \\u escape");
          cp = cp * 16 + static_cast<std::uint32_t>(v);
        }
        put(cp);
        i += 1 + n;
      } else {
        put(c);
      }
    }
    doc_.strings.push_back(std::move(out));
    return StrRef{doc_.strings.size() - 1};
  }

  void push(Value v) { stack_.push_back(std::move(v)); }
  Value pop(std::size_t at) {
    if (stack_.empty() || (!marks_.empty() && stack_.size() <= marks_.back()))
      fail(at, "stack underflow (malformed pickle)");
    Value v = std::move(stack_.back());
    stack_.pop_back();
    return v;
  }
  const Value& top(std::size_t at) {
    if (stack_.empty() || (!marks_.empty() && stack_.size() <= marks_.back()))
      fail(at, "stack underflow (malformed pickle)");
    return stack_.back();
  }
  std::vector<Value> pop_mark(std::size_t at) {
    if (marks_.empty()) fail(at, "opcode needs a MARK but none is open (malformed pickle)");
    std::size_t m = marks_.back();
    marks_.pop_back();
    std::vector<Value> items(stack_.begin() + static_cast<std::ptrdiff_t>(m), stack_.end());
    stack_.resize(m);
    return items;
  }
  void tuple_n(std::size_t n, std::size_t at) {
    std::vector<Value> items(n);
    for (std::size_t i = n; i-- > 0;)
      items[i] = pop(at);
    push(new_tuple(std::move(items)));
  }
  Value memo_get(std::uint64_t key, std::size_t at) {
    auto it = memo_.find(key);
    if (it == memo_.end())
      fail(at, "memo entry " + std::to_string(key) + " was never stored (malformed pickle)");
    return it->second;
  }
  ListRef new_list() {
    doc_.lists.emplace_back();
    return {doc_.lists.size() - 1};
  }
  DictRef new_dict() {
    doc_.dicts.emplace_back();
    return {doc_.dicts.size() - 1};
  }
  TupleRef new_tuple(std::vector<Value> items) {
    doc_.tuples.push_back(std::move(items));
    return {doc_.tuples.size() - 1};
  }
  ListRef as_list(const Value& v, std::size_t at) {
    if (auto* r = std::get_if<ListRef>(&v)) return *r;
    fail(at, std::string("APPEND to a ") + std::string(type_name(v)) + ", expected a list");
  }
  DictRef as_dict(const Value& v, std::size_t at) {
    if (auto* r = std::get_if<DictRef>(&v)) return *r;
    fail(at, std::string("SETITEM on a ") + std::string(type_name(v)) + ", expected a dict");
  }
  void set_items(DictRef d, const std::vector<Value>& items, std::size_t at) {
    if (items.size() % 2 != 0) fail(at, "odd number of items for a dict (malformed pickle)");
    for (std::size_t i = 0; i < items.size(); i += 2) {
      if (std::holds_alternative<ListRef>(items[i]) || std::holds_alternative<DictRef>(items[i]))
        fail(at, "unhashable dict key of type " + std::string(type_name(items[i])));
      doc_.dicts[d.index].emplace_back(items[i], items[i + 1]);
    }
  }

  std::string_view d_;
  const std::string& file_;
  std::size_t pos_ = 0;
  std::vector<Value> stack_;
  std::vector<std::size_t> marks_;
  std::unordered_map<std::uint64_t, Value> memo_;
  Document doc_;
};

}  // namespace

std::string_view type_name(const Value& v) {
  switch (v.index()) {
    case 0:
      return "None";
    case 1:
      return "bool";
    case 2:
      return "int";
    case 3:
      return "float";
    case 4:
      return "str";
    case 5:
      return "list";
    case 6:
      return "tuple";
    default:
      return "dict";
  }
}

Document load(std::string_view data, const std::string& file_name) {
  if (data.empty()) throw FormatError("the file is empty; expected a pickle", file_name, "byte 0");
  return Unpickler(data, file_name).run();
}

}  // namespace teamor::annotations::pickle
