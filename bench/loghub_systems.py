"""Loghub-2k systems for bench/loghub.py: header formats and logparser's tuned Drain settings."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class System:
    """One Loghub system: its header format and logparser's tuned Drain settings."""

    log_format: str
    masks: tuple[str, ...]
    similarity: float
    depth: int


# logparser's Drain benchmark settings (logparser/Drain/benchmark.py): the header formats are
# the datasets' input descriptions; masks, st and depth are the per-system tuning.
SYSTEMS: dict[str, System] = {
    "HDFS": System(
        r"<Date> <Time> <Pid> <Level> <Component>: <Content>",
        (r"blk_-?\d+", r"(\d+\.){3}\d+(:\d+)?"),
        0.5,
        4,
    ),
    "Hadoop": System(
        r"<Date> <Time> <Level> \[<Process>\] <Component>: <Content>",
        (r"(\d+\.){3}\d+",),
        0.5,
        4,
    ),
    "Spark": System(
        r"<Date> <Time> <Level> <Component>: <Content>",
        (r"(\d+\.){3}\d+", r"\b[KGTM]?B\b", r"([\w-]+\.){2,}[\w-]+"),
        0.5,
        4,
    ),
    "Zookeeper": System(
        r"<Date> <Time> - <Level>  \[<Node>:<Component>@<Id>\] - <Content>",
        (r"(/|)(\d+\.){3}\d+(:\d+)?",),
        0.5,
        4,
    ),
    "BGL": System(
        r"<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level>"
        r" <Content>",
        (r"core\.\d+",),
        0.5,
        4,
    ),
    "HPC": System(
        r"<LogId> <Node> <Component> <State> <Time> <Flag> <Content>",
        (r"=\d+",),
        0.5,
        4,
    ),
    "Thunderbird": System(
        r"<Label> <Timestamp> <Date> <User> <Month> <Day> <Time> <Location>"
        r" <Component>(\[<PID>\])?: <Content>",
        (r"(\d+\.){3}\d+",),
        0.5,
        4,
    ),
    "Windows": System(
        r"<Date> <Time>, <Level>                  <Component>    <Content>",
        (r"0x.*?\s",),
        0.7,
        5,
    ),
    "Linux": System(
        r"<Month> <Date> <Time> <Level> <Component>(\[<PID>\])?: <Content>",
        (r"(\d+\.){3}\d+", r"\d{2}:\d{2}:\d{2}"),
        0.39,
        6,
    ),
    "Android": System(
        r"<Date> <Time>  <Pid>  <Tid> <Level> <Component>: <Content>",
        (
            r"(/[\w-]+)+",
            r"([\w-]+\.){2,}[\w-]+",
            r"\b(\-?\+?\d+)\b|\b0[Xx][a-fA-F\d]+\b|\b[a-fA-F\d]{4,}\b",
        ),
        0.2,
        6,
    ),
    "HealthApp": System(r"<Time>\|<Component>\|<Pid>\|<Content>", (), 0.2, 4),
    "Apache": System(r"\[<Time>\] \[<Level>\] <Content>", (r"(\d+\.){3}\d+",), 0.5, 4),
    "Proxifier": System(
        r"\[<Time>\] <Program> - <Content>",
        (r"<\d+\ssec", r"([\w-]+\.)+[\w-]+(:\d+)?", r"\d{2}:\d{2}(:\d{2})*", r"[KGTM]B"),
        0.6,
        3,
    ),
    "OpenSSH": System(
        r"<Date> <Day> <Time> <Component> sshd\[<Pid>\]: <Content>",
        (r"(\d+\.){3}\d+", r"([\w-]+\.){2,}[\w-]+"),
        0.6,
        5,
    ),
    "OpenStack": System(
        r"<Logrecord> <Date> <Time> <Pid> <Level> <Component> \[<ADDR>\] <Content>",
        (r"((\d+\.){3}\d+,?)+", r"/.+?\s", r"\d+"),
        0.5,
        5,
    ),
    "Mac": System(
        r"<Month>  <Date> <Time> <User> <Component>\[<PID>\]( \(<Address>\))?: <Content>",
        (r"([\w-]+\.){2,}[\w-]+",),
        0.7,
        6,
    ),
}
