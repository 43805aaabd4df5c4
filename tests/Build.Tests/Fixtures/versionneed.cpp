// Source of libversionneed.so, a small real ELF fixture with GLIBCXX version needs:
//   g++ -shared -fPIC -O2 -o libversionneed.so versionneed.cpp
#include <string>
#include <sstream>
extern "C" int fixture_length(const char* text)
{
    std::ostringstream out;
    out << std::string(text) << "!";
    return static_cast<int>(out.str().size());
}
