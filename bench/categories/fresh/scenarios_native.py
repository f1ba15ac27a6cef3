"""Compiled toolchains: cargo/rustc/clippy/rustfmt, go build/test/vet/gofmt,
gcc/g++/CMake/CTest/cppcheck/clang-format/flawfinder/AddressSanitizer."""

from __future__ import annotations

from typing import Any

from make_logs import Scenario, Step


def sc(name: str, eco: str, ci: str, files: dict[str, str], steps: tuple[Step | str, ...],
       category: str, why: str, tools: tuple[str, ...], **kw: Any) -> Scenario:
    project = kw.pop("project", name.rsplit("-", 1)[0])
    return Scenario(name=name, ecosystem=eco, ci=ci, files=files, steps=steps,
                    category=category, why=why, project=project, tools=tools,
                    job=kw.pop("job", "build"), **kw)


# --- Rust ---------------------------------------------------------------------------------

def cargo_toml(name: str, deps: str = "") -> str:
    return (f'[package]\nname = "{name}"\nversion = "0.3.0"\nedition = "2021"\n\n'
            f"[dependencies]\n{deps}")


RING = """pub struct Ring { items: Vec<u32>, cap: usize }

impl Ring {
    pub fn new(cap: usize) -> Self { Ring { items: Vec::new(), cap } }
    pub fn push(&mut self, v: u32) {
        if self.items.len() == self.cap { self.items.remove(0); }
        self.items.push(v);
    }
    pub fn sum(&self) -> u32 { self.items.iter().sum() }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn keeps_last_three() {
        let mut r = Ring::new(3);
        for v in 1..=5 { r.push(v); }
        assert_eq!(r.sum(), 12);
    }
}
"""


def rust(name: str, ci: str, lib: str, steps: tuple[Step | str, ...], category: str, why: str,
         **kw: Any) -> Scenario:
    crate = kw.pop("crate", name.split("-")[0])
    files = {"Cargo.toml": cargo_toml(crate, kw.pop("deps", "")), "src/lib.rs": lib,
             **kw.pop("files", {})}
    return sc(name, "rust", ci, files, steps, category, why, ("cargo",), **kw)


# --- Go -----------------------------------------------------------------------------------

GOMOD = "module example.com/{name}\n\ngo 1.19\n"
RATES = """package rates

import "fmt"

// Convert converts cents between currencies using a rate table.
func Convert(cents int64, from, to string, table map[string]float64) (int64, error) {
	rf, ok := table[from]
	if !ok {
		return 0, fmt.Errorf("unknown currency %q", from)
	}
	rt, ok := table[to]
	if !ok {
		return 0, fmt.Errorf("unknown currency %q", to)
	}
	return int64(float64(cents) / rf * rt), nil
}
"""
RATES_TEST = """package rates

import "testing"

func TestConvert(t *testing.T) {
	table := map[string]float64{"EUR": 1, "USD": 1.1}
	got, err := Convert(1000, "EUR", "USD", table)
	if err != nil {
		t.Fatal(err)
	}
	if got != 1100 {
		t.Errorf("Convert(1000 EUR→USD) = %d, want 1100", got)
	}
}
"""


def go(name: str, ci: str, files: dict[str, str], steps: tuple[Step | str, ...], category: str,
       why: str, **kw: Any) -> Scenario:
    module = kw.pop("module", name.split("-")[0])
    return sc(name, "go", ci, {"go.mod": GOMOD.format(name=module), **files}, steps, category,
              why, ("go",), env={"GOFLAGS": "", "GOCACHE": "/tmp/kffresh/gocache",
                                 **kw.pop("env", {})}, **kw)


# --- C / C++ ------------------------------------------------------------------------------

CMAKE = """cmake_minimum_required(VERSION 3.16)
project({name} C CXX)
set(CMAKE_CXX_STANDARD 17)
enable_testing()
add_library(core src/core.c)
target_include_directories(core PUBLIC include)
add_executable(core_test tests/core_test.c)
target_link_libraries(core_test core)
add_test(NAME core_test COMMAND core_test)
"""
CORE_H = "#pragma once\n#include <stddef.h>\nint checksum(const unsigned char *buf, size_t n);\n"
CORE_C = """#include "core.h"

int checksum(const unsigned char *buf, size_t n) {
    unsigned int sum = 0;
    for (size_t i = 0; i < n; i++) {
        sum = (sum << 1) ^ buf[i];
    }
    return (int)(sum & 0xffff);
}
"""
CORE_TEST = """#include <stdio.h>
#include <string.h>
#include "core.h"

int main(void) {
    const unsigned char msg[] = "hello";
    int got = checksum(msg, strlen((const char *)msg));
    if (got != 3372) {
        fprintf(stderr, "checksum(hello) = %d, expected 3372\\n", got);
        return 1;
    }
    puts("checksum ok");
    return 0;
}
"""


def cproj(name: str, ci: str, steps: tuple[Step | str, ...], category: str, why: str,
          **kw: Any) -> Scenario:
    project = kw.pop("project", name.split("-")[0])
    files = {"CMakeLists.txt": CMAKE.format(name=project), "include/core.h": CORE_H,
             "src/core.c": CORE_C, "tests/core_test.c": CORE_TEST, **kw.pop("files", {})}
    tools = kw.pop("tools", ("cmake", "gcc"))
    return sc(name, "c-cpp", ci, files, steps, category, why, tools, project=project, **kw)


CM = ("cmake -S . -B build -DCMAKE_BUILD_TYPE=Debug", "cmake --build build -j2")

SCENARIOS: list[Scenario] = [
    rust("ring-e0382", "github", RING.replace(
        "    pub fn sum(&self) -> u32 { self.items.iter().sum() }",
        "    pub fn sum(&self) -> u32 { let v = self.items; v.iter().sum() }"),
         ("cargo build",), "compile", "rustc E0507: cannot move out of a reference"),
    rust("window-test", "gitlab", RING.replace("assert_eq!(r.sum(), 12)",
                                                "assert_eq!(r.sum(), 9)"),
         ("cargo test",), "test", "cargo test: assert_eq left 12 right 9", crate="window"),
    rust("parser-clippy", "circleci", RING.replace(
        "    pub fn sum(&self) -> u32 { self.items.iter().sum() }",
        "    pub fn sum(&self) -> u32 {\n        let mut s = 0;\n"
        "        for i in 0..self.items.len() { s += self.items[i]; }\n        return s;\n    }\n"
        "    pub fn is_empty_ring(&self) -> bool { self.items.len() == 0 }"),
         ("cargo clippy --all-targets -- -D warnings",), "lint",
         "clippy: needless_range_loop, needless_return, len_zero (-D warnings)",
         crate="parser"),
    rust("codec-rustfmt", "jenkins", RING.replace("pub fn new(cap: usize) -> Self {",
                                                  "pub fn new(cap:usize)->Self{"),
         ("cargo fmt --all -- --check",), "lint", "rustfmt --check: diff", crate="codec"),
    rust("client-crates", "travis", RING, ("cargo build",), "dependency",
         "cargo: cannot fetch serde/reqwest from the registry", deps='serde = "1"\n'
         'reqwest = { version = "0.12", features = ["json"] }\n', crate="client",
         env={"CARGO_HOME": "/tmp/kffresh/cargo-home-empty", "CARGO_NET_RETRY": "1"}),
    rust("importer-panic", "buildkite", RING, ("cargo run --quiet -- data/batch.csv",), "crash",
         "a binary the job runs panics (index out of bounds)", crate="importer",
         files={"src/main.rs": "fn main() {\n    let args: Vec<String> = std::env::args()"
                ".collect();\n    let cols: Vec<&str> = \"id,name\".split(',').collect();\n"
                "    println!(\"importing {}\", args[1]);\n    println!(\"third column: {}\", "
                "cols[2]);\n}\n"}),
    rust("tiles-alloc", "gitlab", RING, ("cargo build --quiet",
                                         Step("./target/debug/tiles", memory_kb=400_000)),
         "memory",
         "Rust: memory allocation of N bytes failed (abort under the memory limit)",
         crate="tiles", files={"src/main.rs": "fn main() {\n    println!(\"allocating tile "
                               "cache\");\n    let v: Vec<u64> = vec![7; 200_000_000];\n"
                               "    println!(\"{}\", v.len());\n}\n"}),
    rust("engine-disk", "jenkins", RING, ("cargo build --release",), "disk",
         "cargo: No space left on device writing the target dir", crate="engine",
         pre="mkdir -p target && mount -t tmpfs -o size=16k tmpfs target",
         post="umount target"),
    go("rates-build", "github", {"rates.go": RATES.replace(
        "return int64(float64(cents) / rf * rt), nil",
                                                          "return float64(cents) / rf * rt, nil"),
                                 "rates_test.go": RATES_TEST},
       ("go build ./...",), "compile", "go build: cannot use float64 as int64"),
    go("fx-test", "travis", {"rates.go": RATES.replace("/ rf * rt", "* rf / rt"),
                             "rates_test.go": RATES_TEST},
       ("go test -v ./...",), "test", "go test: TestConvert got 909 want 1100"),
    go("ledger-vet", "gitlab", {"rates.go": RATES.replace('"unknown currency %q", to',
                                                          '"unknown currency %d", to'),
                                "rates_test.go": RATES_TEST},
       ("go vet ./...",), "lint", "go vet: Errorf format %d has arg of wrong type"),
    go("quote-gofmt", "circleci", {"rates.go": RATES.replace("\trf, ok := table[from]",
                                                             "  rf,ok:=table[from]"),
                                   "rates_test.go": RATES_TEST},
       ('test -z "$(gofmt -l .)" || { gofmt -d .; exit 1; }',), "lint", "gofmt -d: diff"),
    go("watch-timeout", "jenkins", {"rates.go": RATES, "watch_test.go":
        'package rates\n\nimport "testing"\n\nfunc TestWatchUpdates(t *testing.T) {\n'
        '\tupdates := make(chan string)\n\tfor u := range updates {\n\t\tt.Log(u)\n\t}\n}\n'},
       ("go test -timeout 4s ./...",), "timeout",
       "go test -timeout: panic: test timed out (whole test binary killed)"),
    go("worker-nilpanic", "buildkite", {"main.go": 'package main\n\nimport "fmt"\n\n'
        'type Config struct{ Queue *Queue }\ntype Queue struct{ Name string }\n\n'
        'func main() {\n\tcfg := &Config{}\n\tfmt.Println("starting worker")\n'
        '\tfmt.Println("consuming", cfg.Queue.Name)\n}\n'},
       ("go run .",), "crash", "Go: nil pointer dereference panic (SIGSEGV) in the program"),
    go("feeds-gomod", "github", {"main.go": 'package main\n\nimport (\n\t"fmt"\n\n'
        '\t"github.com/acme-internal/feedparser/v2"\n)\n\nfunc main() { '
        'fmt.Println(feedparser.Version) }\n'},
       ("go mod tidy", "go build ./..."), "dependency",
       "go: module github.com/acme-internal/feedparser not found", env={"GOFLAGS": "-mod=mod"}),
    go("heatmap-oom", "circleci", {"main.go": 'package main\n\nimport "fmt"\n\nfunc main() {\n'
        '\tfmt.Println("rendering heatmap")\n\tgrid := make([][]float64, 0)\n'
        '\tfor i := 0; i < 100000; i++ {\n\t\tgrid = append(grid, make([]float64, 100000))\n'
        '\t}\n\tfmt.Println(len(grid))\n}\n'},
       ("go build -o heatmap .", Step("./heatmap", memory_kb=1_500_000)), "memory",
       "Go: fatal error: runtime: out of memory"),
    go("payments-dns", "gitlab", {"client_test.go": 'package payments\n\nimport (\n'
        '\t"net/http"\n\t"testing"\n\t"time"\n)\n\nfunc TestCapture(t *testing.T) {\n'
        '\tc := http.Client{Timeout: 5 * time.Second}\n'
        '\tresp, err := c.Get("https://sandbox.payments-gateway.invalid/v1/ping")\n'
        '\tif err != nil {\n\t\tt.Fatalf("sandbox unreachable: %v", err)\n\t}\n'
        '\tresp.Body.Close()\n}\n', "doc.go": "package payments\n"},
       ("go test ./...",), "network", "go test: dial tcp: lookup … no such host (sandbox host)"),
    cproj("checksum-gcc", "github", CM, "compile", "gcc: expected ';' before '}'",
          files={"src/core.c": CORE_C.replace("sum = (sum << 1) ^ buf[i];",
                                              "sum = (sum << 1) ^ buf[i]")}),
    cproj("matrix-gpp", "gitlab", ("g++ -std=c++17 -Wall -c src/matrix.cpp -o matrix.o",),
          "compile", "g++: no match for operator+ (template error)", tools=("g++",),
          files={"src/matrix.cpp": "#include <vector>\n#include <string>\n\n"
                 "template <typename T>\nT add_all(const std::vector<T>& v) {\n"
                 "    T acc{};\n    for (const auto& x : v) acc = acc + x;\n    return acc;\n}\n\n"
                 "struct Cell { int v; };\n\nint main() {\n"
                 "    std::vector<Cell> cells{{1}, {2}};\n    auto c = add_all(cells);\n"
                 "    return c.v;\n}\n"}),
    cproj("hashlib-link", "travis", CM, "compile", "ld: undefined reference (function not built)",
          files={"tests/core_test.c": CORE_TEST.replace(
              "int got = checksum(", "int got = checksum_fast(").replace(
              '#include "core.h"', '#include "core.h"\nint checksum_fast(const unsigned char *,'
              ' size_t);')}),
    cproj("packet-werror", "jenkins", ("cmake -S . -B build -DCMAKE_C_FLAGS='-Wall -Werror'",
                                       "cmake --build build"), "compile",
          "gcc -Werror: unused variable becomes an error",
          files={"src/core.c": CORE_C.replace("unsigned int sum = 0;",
                                              "unsigned int sum = 0;\n    int unused_len = 0;")}),
    cproj("crc-ctest", "circleci", (*CM, "ctest --test-dir build --output-on-failure"), "test",
          "CTest: core_test fails (checksum mismatch)",
          files={"src/core.c": CORE_C.replace("(sum << 1)", "(sum << 2)")}),
    cproj("imgconv-boost", "buildkite", ("cmake -S . -B build",), "dependency",
          "CMake: Could NOT find Boost", files={"CMakeLists.txt": CMAKE.format(name="imgconv")
                                                + "find_package(Boost 1.80 REQUIRED COMPONENTS "
                                                "filesystem program_options)\n"}),
    cproj("fetcher-curlh", "github", CM, "dependency", "gcc: fatal error curl/curl.h missing",
          files={"src/core.c": "#include <curl/curl.h>\n" + CORE_C}),
    cproj("parser-segv", "gitlab", (*CM, "./build/core_test && echo 'input accepted'"), "crash",
          "the program the job runs segfaults",
          files={"tests/core_test.c": CORE_TEST.replace(
              "int got = checksum(msg, strlen((const char *)msg));",
              "const unsigned char *p = NULL;\n    puts(\"checking input\");\n"
              "    fflush(stdout);\n    int got = checksum(p, 5);")}),
    cproj("decoder-asan", "travis", ("gcc -g -fsanitize=address -Iinclude src/core.c "
                                     "tests/core_test.c -o t", "./t"), "crash",
          "AddressSanitizer: heap-buffer-overflow in the program", tools=("gcc",),
          files={"tests/core_test.c": "#include <stdio.h>\n#include <stdlib.h>\n"
                 "#include \"core.h\"\n\nint main(void) {\n    unsigned char *b = malloc(4);\n"
                 "    for (int i = 0; i < 4; i++) b[i] = (unsigned char)i;\n"
                 "    printf(\"%d\\n\", checksum(b, 8));\n    free(b);\n    return 0;\n}\n"}),
    cproj("fsutil-cppcheck", "gitlab", ("cppcheck --enable=warning --error-exitcode=1 "
                                        "--inline-suppr src",), "lint",
          "cppcheck: array index out of bounds / memory leak", tools=("cppcheck",),
          files={"src/util.c": "#include <stdlib.h>\n#include <string.h>\n\n"
                 "char *dup_name(const char *n) {\n    char buf[8];\n    char *out = malloc(16);\n"
                 "    buf[8] = 0;\n    if (!n) return NULL;\n    strcpy(out, n);\n"
                 "    return out;\n}\n"}),
    cproj("vec-clangformat", "jenkins", ("clang-format --dry-run --Werror src/*.c include/*.h",),
          "lint", "clang-format --Werror: code should be clang-formatted",
          tools=("clang-format",), files={"src/core.c": CORE_C.replace(
              "for (size_t i = 0; i < n; i++) {", "for(size_t i=0;i<n;i++){")}),
    cproj("shell-flawfinder", "circleci", ("flawfinder --error-level=4 --quiet src",), "security",
          "flawfinder: gets/system/strcpy hits at level 4-5", tools=("flawfinder",),
          files={"src/run.c": "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n\n"
                 "int run(void) {\n    char cmd[64];\n    char name[32];\n    gets(name);\n"
                 "    strcpy(cmd, \"ls \");\n    strcat(cmd, name);\n    return system(cmd);\n"
                 "}\n"}),
    cproj("tables-cc1", "buildkite", (
        "python3 tools/gen_table.py > src/table.c",
        Step("gcc -O2 -Iinclude -c src/table.c -o table.o", memory_kb=150_000)),
          "memory", "cc1: virtual memory exhausted compiling a generated table (memory limit)",
          tools=("gcc",), files={"tools/gen_table.py": "print('const int table[] = {' + "
                                 "','.join(str(i * 7 % 1000003) for i in range(3_000_000)) + "
                                 "'};')\nprint('int lookup(int i) { return table[i]; }')\n"}),
    cproj("firmware-disk", "github", ("mkdir -p out", "gcc -Iinclude -c src/core.c -o out/core.o",
                                      "gcc -Iinclude src/blob.c out/core.o -o out/firmware.elf"),
          "disk", "ld / gcc: No space left on device writing the image",
          files={"src/blob.c": "static const char image[4 << 20] = {1};\n"
                 "int main(void) { return image[0] - 1; }\n"}, tools=("gcc",),
          pre="mkdir -p out && mount -t tmpfs -o size=512k tmpfs out", post="umount out"),
    cproj("tools-make-target", "travis", ("make check",), "configuration",
          "make: No rule to make target 'check'", tools=("make",),
          files={"Makefile": "all:\n\tcc -Iinclude -c src/core.c -o core.o\n"}),
]
