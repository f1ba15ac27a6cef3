"""Maven (offline) with javac and Surefire, Ruby (RSpec, Minitest, RuboCop), Perl (prove),
Erlang (erlc, EUnit), shell (ShellCheck, Bats)."""

from __future__ import annotations

from typing import Any

from make_logs import Scenario, Step
from scenarios_native import sc

# --- Maven --------------------------------------------------------------------------------

def pom(artifact: str, deps: str = "", surefire: str = "") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.acme</groupId>
  <artifactId>{artifact}</artifactId>
  <version>1.4.0-SNAPSHOT</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.junit.jupiter</groupId>
      <artifactId>junit-jupiter</artifactId>
      <version>5.10.2</version>
      <scope>test</scope>
    </dependency>{deps}
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.13.0</version>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-surefire-plugin</artifactId>
        <version>3.2.5</version>{surefire}
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-resources-plugin</artifactId>
        <version>3.3.1</version>
      </plugin>
    </plugins>
  </build>
</project>
"""


STOCK = """package com.acme.stock;

import java.util.HashMap;
import java.util.Map;

public class Stock {
    private final Map<String, Integer> levels = new HashMap<>();

    public void receive(String sku, int qty) {
        levels.merge(sku, qty, Integer::sum);
    }

    public int ship(String sku, int qty) {
        int have = levels.getOrDefault(sku, 0);
        if (have < qty) {
            throw new IllegalStateException("only " + have + " of " + sku);
        }
        levels.put(sku, have - qty);
        return have - qty;
    }
}
"""
STOCK_TEST = """package com.acme.stock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StockTest {
    @Test
    void shipReducesLevel() {
        Stock s = new Stock();
        s.receive("A-1", 5);
        assertEquals(2, s.ship("A-1", 3));
    }

    @Test
    void cannotShipMoreThanStocked() {
        Stock s = new Stock();
        s.receive("B-2", 1);
        assertThrows(IllegalStateException.class, () -> s.ship("B-2", 2));
    }
}
"""
JAVA_MAIN = "src/main/java/com/acme/stock/Stock.java"
JAVA_TEST = "src/test/java/com/acme/stock/StockTest.java"


def maven(name: str, ci: str, files: dict[str, str], category: str, why: str,
          steps: tuple[Step | str, ...] = ("mvn -B -o verify",), **kw: Any) -> Scenario:
    artifact = kw.pop("project", name.split("-")[0])
    base = {"pom.xml": pom(artifact, kw.pop("deps", ""), kw.pop("surefire", "")),
            JAVA_MAIN: STOCK, JAVA_TEST: STOCK_TEST}
    return sc(name, "jvm", ci, {**base, **files}, steps, category, why, ("mvn",),
              project=artifact, **kw)


# --- Ruby ---------------------------------------------------------------------------------

TEMP_RB = """module Temperature
  FREEZING = 32

  def self.to_fahrenheit(celsius)
    celsius * 9.0 / 5.0 + FREEZING
  end

  def self.to_celsius(fahrenheit)
    (fahrenheit - FREEZING) * 5.0 / 9.0
  end
end
"""
TEMP_SPEC = """require_relative "../lib/temperature"

RSpec.describe Temperature do
  it "converts boiling water" do
    expect(Temperature.to_fahrenheit(100)).to eq(212)
  end

  it "converts body temperature back" do
    expect(Temperature.to_celsius(98.6)).to be_within(0.01).of(37)
  end
end
"""

SCENARIOS: list[Scenario] = [
    maven("warehouse-javac", "gitlab", {JAVA_MAIN: STOCK.replace("return have - qty;",
                                                                 "return remaining;")},
          "compile", "javac: cannot find symbol"),
    maven("depot-surefire", "github", {JAVA_MAIN: STOCK.replace("return have - qty;",
                                                                "return have;")},
          "test", "Surefire: assertEquals expected 2 but was 5"),
    maven("reports-offline", "travis", {}, "dependency",
          "Maven offline: commons-csv was never downloaded into the local repository",
          deps="\n    <dependency>\n      <groupId>org.apache.commons</groupId>\n"
          "      <artifactId>commons-csv</artifactId>\n      <version>1.11.0</version>\n"
          "    </dependency>", steps=("mvn -B -o compile",)),
    maven("orders-flaky", "circleci", {"src/test/java/com/acme/stock/RetryTest.java":
        "package com.acme.stock;\n\nimport static org.junit.jupiter.api.Assertions.assertTrue;"
        "\n\nimport java.nio.file.*;\nimport org.junit.jupiter.api.Test;\n\n"
        "class RetryTest {\n    @Test\n    void eventuallyConsistentRead() throws Exception {\n"
        "        Path marker = Paths.get(\"target/attempt\");\n"
        "        boolean first = !Files.exists(marker);\n"
        "        Files.createDirectories(marker.getParent());\n"
        "        Files.write(marker, new byte[0]);\n"
        "        assertTrue(!first, \"replica lagged behind the primary\");\n    }\n}\n"},
          "flaky", "Surefire: test passed on rerun, failOnFlakeCount=1 fails the build",
          steps=("mvn -B -o test -Dsurefire.rerunFailingTestsCount=2 "
                 "-Dsurefire.failOnFlakeCount=1",)),
    maven("batch-heap", "buildkite", {"src/test/java/com/acme/stock/LoadTest.java":
        "package com.acme.stock;\n\nimport java.util.*;\nimport org.junit.jupiter.api.Test;\n\n"
        "class LoadTest {\n    @Test\n    void loadsAllSkus() {\n"
        "        List<long[]> rows = new ArrayList<>();\n"
        "        for (int i = 0; i < 1_000_000; i++) rows.add(new long[1024]);\n    }\n}\n"},
          "memory", "Surefire: java.lang.OutOfMemoryError: Java heap space (argLine -Xmx64m)",
          surefire="\n        <configuration><argLine>-Xmx64m</argLine></configuration>"),
    maven("ledger-phase", "github", {}, "configuration",
          "Maven: Unknown lifecycle phase (typo in the CI command)",
          steps=("mvn -B -o clean tset",)),
    sc("thermo-rspec", "ruby", "gitlab", {"lib/temperature.rb": TEMP_RB.replace(
        "celsius * 9.0 / 5.0 + FREEZING", "celsius * 9.0 / 5.0"), "spec/temperature_spec.rb":
        TEMP_SPEC}, ("rspec --format documentation",), "test", "RSpec: expected 212 got 180",
       ("rspec",), job="spec"),
    sc("shipping-minitest", "ruby", "github", {
        "lib/shipping.rb": "module Shipping\n  def self.cost(kg)\n    return 0 if kg <= 0\n"
        "    4.99 + (kg.ceil - 1) * 1.25\n  end\nend\n",
        "test/test_shipping.rb": "require 'minitest/autorun'\nrequire_relative "
        "'../lib/shipping'\n\nclass TestShipping < Minitest::Test\n  def test_one_kg\n"
        "    assert_in_delta 4.99, Shipping.cost(1)\n  end\n\n  def test_heavy\n"
        "    assert_in_delta 10.99, Shipping.cost(5)\n  end\nend\n"},
       ("ruby -Ilib test/test_shipping.rb",), "test", "Minitest: expected 10.99, got 9.99",
       ("ruby",)),
    sc("markup-syntax", "ruby", "circleci", {"lib/markup.rb": "module Markup\n"
        "  def self.bold(s)\n    \"<b>#{s}</b>\"\n  end\n\n  def self.list(items)\n"
        "    items.map { |i| \"<li>#{i}</li>\" .join\n  end\nend\n",
        "spec/markup_spec.rb": "require_relative '../lib/markup'\n\nRSpec.describe Markup do\n"
        "  it('bolds') { expect(Markup.bold('x')).to eq('<b>x</b>') }\nend\n"},
       ("rspec",), "compile", "Ruby syntax error while RSpec loads a file", ("rspec",)),
    sc("billing-rubocop", "ruby", "jenkins", {"lib/billing.rb": "class Billing\n"
        "  def initialize(rate)\n    @rate=rate\n  end\n  def charge(minutes)\n"
        "    return minutes*@rate if minutes>0\n    0\n  end\nend\n",
        ".rubocop.yml": "AllCops:\n  NewCops: enable\n  SuggestExtensions: false\n"},
       ("rubocop lib",), "lint", "RuboCop offenses (layout, style)", ("rubocop",)),
    sc("scraper-cannot-load", "ruby", "travis", {"lib/scraper.rb": "require 'nokogiri'\n\n"
        "module Scraper\n  def self.titles(html)\n    Nokogiri::HTML(html).css('h1').map(&:text)\n"
        "  end\nend\n", "spec/scraper_spec.rb": "require_relative '../lib/scraper'\n\n"
        "RSpec.describe Scraper do\n  it('finds titles') { expect(Scraper.titles('<h1>a</h1>'))"
        ".to eq(['a']) }\nend\n"},
       ("rspec",), "dependency", "cannot load such file -- nokogiri", ("rspec",)),
    sc("deploy-bundle-missing", "ruby", "github", {"Rakefile": "task(:default) { puts 'ok' }\n"},
       ("bundle exec rake",), "configuration", "bundle: command not found", ("ruby",)),
    sc("stats-prove", "perl", "travis", {
        "lib/Stats.pm": "package Stats;\nuse strict;\nuse warnings;\n\nsub mean {\n"
        "    my @v = @_;\n    my $s = 0;\n    $s += $_ for @v;\n    return $s / (scalar(@v) + 1);\n"
        "}\n1;\n",
        "t/mean.t": "use strict;\nuse warnings;\nuse Test::More tests => 2;\nuse lib 'lib';\n"
        "use Stats;\n\nis(Stats::mean(2, 4), 3, 'mean of two');\nis(Stats::mean(5), 5, "
        "'mean of one');\n"},
       ("prove -lv t/",), "test", "prove: Test::More is() failures", ("prove",)),
    sc("feed-perl-inc", "perl", "gitlab", {
        "bin/feed.pl": "#!/usr/bin/perl\nuse strict;\nuse warnings;\nuse JSON::XS;\n"
        "use LWP::UserAgent;\nprint encode_json({ok => 1}), \"\\n\";\n"},
       ("perl bin/feed.pl",), "dependency", "Perl: Can't locate JSON/XS.pm in @INC",
       ("perl",)),
    sc("report-perl-syntax", "perl", "jenkins", {
        "lib/Report.pm": "package Report;\nuse strict;\nuse warnings;\n\nsub header {\n"
        "    my ($title) = @_;\n    return \"== $title ==\"\n    if (length $title > 40) {\n"
        "        return substr($title, 0, 40);\n    }\n}\n1;\n"},
       ("perl -Ilib -c lib/Report.pm",), "compile", "perl -c: syntax error", ("perl",)),
    sc("kv-erlc", "beam", "circleci", {"src/kv.erl": "-module(kv).\n-export([get/2, put/3]).\n\n"
        "get(K, M) ->\n    case maps:find(K, M) of\n        {ok, V} -> V;\n"
        "        error -> undefined\n    end\n\nput(K, V, M) -> maps:put(K, V, M).\n"},
       ("mkdir -p ebin && erlc -o ebin src/kv.erl",), "compile", "erlc: syntax error before put",
       ("erlc",)),
    sc("cache-eunit", "beam", "github", {"src/lru.erl": "-module(lru).\n-export([new/1, "
        "put/3, count/1, evicts_test/0]).\n\n"
        "new(Cap) -> {Cap, []}.\nput(K, V, {Cap, Items}) -> {Cap, [{K, V} | "
        "lists:keydelete(K, 1, Items)]}.\ncount({_, Items}) -> length(Items).\n\n"
        "evicts_test() ->\n    C = lists:foldl(fun(I, Acc) -> put(I, I, Acc) end, new(2), "
        "[1, 2, 3]),\n    2 = count(C).\n"},
       ("mkdir -p ebin && erlc -o ebin src/lru.erl",
        "erl -noshell -pa ebin -eval 'case eunit:test(lru, [verbose]) of ok -> halt(0); _ -> "
        "halt(1) end'"), "test", "EUnit: badmatch in evicts_test (cache does not evict)",
       ("erlc",)),
    sc("scripts-shellcheck", "shell", "gitlab", {"scripts/release.sh": "#!/bin/bash\n"
        "VERSION=$1\nfiles=$(ls dist/*.tar.gz)\nfor f in $files; do\n  echo Uploading $f\n"
        "  cp $f /releases/$VERSION/\ndone\ncd /releases/$VERSION\nrm -rf $TMPDIR/*\n"},
       ("shellcheck scripts/*.sh",), "lint", "ShellCheck: SC2086, SC2045, SC2164",
       ("shellcheck",), project="scripts"),
    sc("infra-shellcheck", "shell", "github", {"bin/backup": "#!/bin/sh\nset -e\n"
        "source ./env.sh\nif [ $COUNT == 0 ]; then\n  echo nothing\nfi\narr=(a b)\n"},
       ("shellcheck -S warning bin/backup",), "lint", "ShellCheck: SC3046/SC3014/SC3030 (sh)",
       ("shellcheck",), project="infra"),
    sc("cli-bats", "shell", "jenkins", {
        "bin/greet": "#!/bin/bash\necho \"Hello, ${1:-world}\"\n",
        "test/greet.bats": "#!/usr/bin/env bats\n\n@test \"greets the world\" {\n"
        "  run bin/greet\n  [ \"$output\" = \"Hello, world\" ]\n}\n\n"
        "@test \"greets by name in capitals\" {\n  run bin/greet ada\n"
        "  [ \"$output\" = \"Hello, ADA\" ]\n}\n"},
       ("bats test/",), "test", "Bats: second test fails", ("bats",), project="greetcli"),
    sc("release-unbound", "shell", "circleci", {"scripts/publish.sh": "#!/bin/bash\n"
        "set -euo pipefail\necho \"publishing build ${CIRCLE_BUILD_NUM:-local}\"\n"
        "aws_bucket=\"s3://${RELEASE_BUCKET}/builds\"\necho \"target: $aws_bucket\"\n"},
       ("./scripts/publish.sh",), "configuration", "bash: RELEASE_BUCKET: unbound variable",
       ("bash",), project="publish"),
    sc("hooks-noexec", "shell", "buildkite", {"ci/run-tests": "set -e\nmake test\n"},
       ("./ci/run-tests",), "permission",
       "Permission denied: the script lost its executable bit", ("bash",), project="hooks"),
]
