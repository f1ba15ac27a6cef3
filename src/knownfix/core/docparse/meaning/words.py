"""The words troubleshooting documents use for each meaning, as data.

Each table is a tuple of regular-expression fragments (one idea per line, so a reviewer can see
what is in and add what is missing); ``phrases`` compiles a table once into one case-insensitive
alternation between word boundaries. Fragments are matched anywhere in a sentence unless the
table says it anchors at the start.
"""

from __future__ import annotations

import re


def phrases(table: tuple[str, ...], *, start: bool = False, flags: int = re.IGNORECASE
            ) -> re.Pattern[str]:
    """One pattern for a table: any fragment, as whole words (``start``: at the beginning)."""
    body = "|".join(f"(?:{fragment})" for fragment in table)
    return re.compile(rf"^(?:{body})\b" if start else rf"\b(?:{body})\b", flags)


# A failure, named: something broke, was refused, is missing, hangs, is slow.
FAILURE = (
    r"errors?", r"fail(?:s|ed|ing|ures?)?", r"crash(?:es|ed|ing|loop\w*)?",
    r"cannot", r"can ?not", r"can'?t", r"couldn'?t", r"could not", r"unable to",
    r"not (?:found|recogni[sz]ed|allowed|permitted|supported|available|accessible|reachable"
    r"|responding|working|installed|loaded|running|starting|set|defined|valid|compatible"
    r"|authori[sz]ed|authenticated|trusted|verified"
    r"|exist\w*|resolv\w*)",
    r"no such", r"denied", r"refus\w*", r"time[sd] out", r"timing out",
    r"timeouts? (?:error|exceeded|expired|reached)", r"exceptions?", r"panic\w*", r"fatal",
    r"abort\w*", r"broken", r"missing", r"stall(?:s|ed|ing)?", r"invalid", r"unexpected\w*",
    r"corrupt\w*", r"truncat(?:ed|es|ing)", r"cut off",
    r"conflict\w*", r"reject\w*", r"hang(?:s|ing)?", r"hung", r"stuck", r"freez\w*", r"frozen",
    r"leak\w*", r"exhaust\w*", r"exceed\w*", r"too (?:many|large|long|old|big)",
    r"out of (?:memory|space|disk)", r"oom\w*", r"killed", r"evict\w*", r"unhealthy",
    r"unreachable", r"too much (?:memory|cpu|disk|space|time)",
    r"unavailable", r"unresponsive", r"incompatib\w*", r"mismatch\w*", r"wrong",
    r"incorrect\w*", r"segfault\w*", r"segmentation fault", r"stack overflow", r"dies", r"died",
    r"dead\w*", r"backoff", r"throttl\w*", r"rate[- ]limit\w*", r"forbidden",
    r"unauthori[sz]ed", r"expired", r"overflow\w*", r"slow(?:s|er|ness)?", r"lag(?:s|ging)?",
    r"flak(?:y|iness)", r"disconnect\w*", r"drop(?:s|ped|ping)", r"blocked", r"bloat\w*",
    r"duplicate[sd]?", r"lost", r"losing", r"stale", r"deadlock\w*", r"race condition",
    r"degraded", r"unstable", r"warnings?", r"blurr(?:y|ed)", r"garbled", r"flicker\w*",
    r"complain\w*", r"choke\w*", r"bails? out",
    # "Controller works on Steam but not in games": it works in one place and not another.
    r"(?:works?|runs?|loads?|starts?) (?:[\w/.-]+ ){1,6}but not\b",
    r"blows? up", r"throws?", r"thrown", r"raises?",
    # "Local changes prevent `brew update`" (not "to prevent this, …": advice).
    r"(?<!to )(?<!help )(?<!helps )prevent(?:s|ed)?(?= \S)(?! (?:this|that|it)\b)",
    r"returns? (?:an? )?(?:error|\d{3})",
    r"(?:gets?|getting|got|see|seeing|shows?|showing) (?:an? |the )?(?:error|message|warning"
    r"|exception)",
    # Something that should happen does not.
    r"(?:does|do|did|is|are|was|were|wo|will|would|has|have|may|might|can|could)(?:n'?t| not)"
    r" (?:[\w-]+ ){0,5}"
    r"(?:work\w*|start\w*|load\w*|run\w*|connect\w*|show\w*|appear\w*|build\w*|compil\w*"
    r"|resolv\w*|install\w*|open\w*|respond\w*|exist|recogni[sz]\w*|support\w*|find|see"
    r"|match\w*|boot\w*|launch\w*|detect\w*|pick\w*|updat\w*|reload\w*|render\w*|display\w*"
    r"|print\w*|apply|applied|accept\w*|allow\w*|take effect|get|have|seem\w*)",
    r"no (?:longer|space|output|response|route|access|permission)",
    r"nothing (?:happens|works)", r"does nothing", r"no effect", r"(?:is|are|gets?) ignored",
    r"stop(?:s|ped|ping)? (?:working|responding|running|loading)",
    r"(?:stops|stopped|exits|exited|quits|disappear\w*|vanish\w*) (?:after|when|on|with"
    r"|unexpected\w*|immediately|randomly|silently|right away)",
    r"keeps? (?:restarting|crashing|failing|exiting|reconnecting|asking|prompting|reverting)",
    r"closes unexpectedly", r"restart loop", r"outdated", r"out[- ]of[- ](?:date|sync)",
    r"high (?:cpu|memory|disk|load|latency|number|rate|usage)",
    r"already (?:in use|exists?|running|taken|bound|registered|defined|allocated|occupied)",
    r"prohibit\w*", r"disallow\w*",
    # "Why are kubectl edits rolled back by Flux?": the reader's changes undone by another party.
    r"(?:rolled back|undone|reverted|overwritten|wiped) (?:by|when|after|on|whenever)",
    # "Port in use", "address is still in use": a resource held by another process.
    r"(?:port|address|socket|device|resource|volume|lock)s? (?:is |are )?(?:still )?in use",
    r"no (?:\w+ ){0,2}(?:available|found|installed|configured|detected|matching|left)",
    r"takes? (?:minutes|hours|forever|ages|too long|a long time|very long)",
    r"(?:seems?|appears?) (?:to )?not", r"what gives", r"what am i doing wrong",
    r"(?:becomes?|became|goes|went|turns?) read-only",
    # Symptoms told by what the user sees: it still says so, nothing happens, it lost something.
    r"(?:it |and |but )?still (?:says|shows|fails|reports|returns|complains|points to|happens)",
    r"does nothing", r"nothing happens", r"(?:doesn'?t|does not|don'?t|do not|won'?t|will not"
    r"|didn'?t|did not) work",
    r"los(?:e|es|t|ing) (?:its|their|my|our|your|all) (?:\w+ ){0,2}(?:leader|data|connection"
    r"|changes|state|settings|config\w*|session|quorum|files?)",
    r"(?:known to )?caus(?:e|es|ed|ing) (?:\w+ ){0,2}(?:issues|problems|errors|failures|crash\w*"
    r"|hangs?|breakage)",
)
# Trouble of some kind, not yet a failure: "Caching issues", "the runtime does not trust it".
TROUBLE = (
    # An issue in a tracker ("tracked in this GitHub issue", "issue #1450") is a reference.
    r"(?<!github )(?<!tracking )(?<!tracker )issues?(?! ?#?\d)(?! tracker)", r"problems?",
    r"troubles?", r"bugs?", r"gotchas?", r"caveats?", r"pitfalls?",
    r"quirks?", r"limitations?", r"symptoms?", r"glitch\w*", r"regressions?", r"never \w+",
    r"spam(?:s|med|ming)?", r"flapp(?:ing|s)",
    r"timeouts?", r"instead of", r"(?:run|runs|ran|running) into", r"encounter(?:s|ed|ing)?",
    r"(?:does|do|did|is|are|was|were|can|could|will|would)(?:n'?t| not) (?!need|have to)\w+",
    # Something done to the reader's things by another party ("My script arguments are being
    # taken by nodemon"), or a tool attempting what nobody asked ("nodemon tries to run two
    # scripts"): trouble, to be confirmed by a fix below it.
    r"(?:is|are) being \w+(?:ed|en|wn) by", r"(?<!you )(?<!i )(?<!we )(?:tries|attempts) to",
    # "Filesystem is unmounted after upgrading Lima": a change that broke something.
    r"(?:is|are|was|were|gets?|got) \w+ed after (?:upgrading|updating|an? (?:upgrade|update))",
)
# Trouble in general, of no one kind: "If you encounter any error, upgrade first" names no
# problem a reader could recognise (matched words are set aside before a failure is looked for).
GENERIC_TROUBLE = (
    r"(?:any|every|all|other) (?:\w+ )?(?:errors?|problems?|issues?|troubles?|failures?|bugs?)",
)
# What the reader does not know ("symbols that you don't recognise"): a state of mind, set aside
# before a failure is looked for ("the tool doesn't recognise the flag" is one).
READER_STATE = (
    r"(?:you|i|we) (?:do|did|may|might|can)(?:n'?t| not) (?:\w+ )?(?:understand|recogni[sz]e"
    r"|know|expect|remember)",
)
# What the reader wants ("When you want to ensure that it doesn't change, …"): a goal, set aside
# before a failure is looked for, up to the clause's end.
DESIRE = (
    r"(?:you|we|i|users?|they) (?:want|wants|need|needs|wish|wishes|would like|'d like"
    r"|prefer|prefers) to\b[^,;.]*",
)
# Explanations: why it happens.
CAUSE = (
    r"because", r"caused by", r"causes? (?:this|it|the)", r"due to",
    r"happens? (?:when|if|because|since)", r"occurs? (?:when|if|because)",
    # "This situation is encountered when …", "Traefik returns a 503 response code when …":
    # what brings the failure about.
    r"(?:is|are|gets?) (?:encountered|seen|returned|raised|thrown|shown|reported) when",
    r"returns? (?:an? |the )?(?:`?\d{3}`?|error|failure)(?: \w+){0,2} when",
    r"is (?:likely|usually|probably|often|typically) (?:because|due|caused)",
    r"the (?:root )?cause", r"the reason", r"reason (?:is|for)", r"results? (?:from|of)",
    r"stems? from",
    r"(?:this|the|that) (?:error|message|warning|exception|failure|alert) (?:means|indicates"
    r"|is (?:raised|thrown|shown|displayed|returned|emitted|printed|triggered))",
    r"means that", r"indicates that", r"this (?:is|was) (?:a )?(?:known|caused|expected)",
    r"is a (?:known )?bug", r"fires when", r"triggers? when", r"is triggered", r"was introduced",
    r"relies on", r"depends on", r"expects", r"assumes",
    # A guess at the cause: "It is very likely you are using the module in the wrong process",
    # "You may be importing a file with a different case".
    r"(?:it is|it's) (?:very |most |quite )?(?:likely|probable) (?:that )?(?:you|your|the|it)",
    r"you (?:may|might|could) be \w+ing\b",
)
# Verbs that open an instruction ("Run …", "Make sure …").
REMEDY_VERBS = (
    r"add", r"adjust", r"allow", r"append", r"apply", r"assign", r"avoid", r"bump", r"call",
    r"change", r"clean", r"clear", r"configure", r"consider", r"copy", r"create", r"define",
    r"delete", r"deploy", r"disable", r"downgrade", r"download", r"drop", r"edit", r"enable",
    r"ensure", r"escape", r"exclude", r"export", r"fix", r"follow", r"force", r"free", r"grant",
    r"ignore", r"import", r"include", r"increase", r"install", r"kill", r"launch", r"limit",
    r"lower", r"make sure", r"make", r"map", r"migrate", r"modify", r"mount", r"move", r"open",
    r"override", r"pass", r"patch", r"pin", r"point", r"prefix", r"prepend", r"provide",
    r"purge", r"put", r"raise", r"rebuild", r"reboot", r"recompile", r"reconfigure", r"recreate",
    r"redeploy", r"reduce", r"refresh", r"regenerate", r"register", r"reinstall", r"reload",
    r"remove", r"rename", r"renew", r"reopen", r"replace", r"rerun", r"re-run", r"reset",
    r"resize", r"restart", r"restore", r"retry", r"revert", r"roll back", r"rollback", r"rotate",
    r"run", r"scale", r"select", r"set", r"sign", r"skip", r"specify", r"start", r"stop",
    r"switch", r"tell", r"try", r"turn", r"type", r"uninstall", r"unset", r"update", r"upgrade",
    r"use", r"wait", r"wrap", r"write", r"go to", r"navigate to", r"click", r"choose",
    r"uncomment", r"comment out", r"execute", r"invoke", r"supply", r"please", r"disconnect",
    r"reconnect", r"connect", r"log ?in", r"log ?out", r"sign (?:in|out)", r"close", r"quit",
    r"exit", r"unplug", r"plug", r"delete", r"cancel", r"retag", r"re-?tag", r"re-?create",
    r"re-?install", r"reindex", r"re-?index", r"resync", r"sync", r"prune", r"flush",
    r"increment", r"decrease", r"shorten", r"lengthen", r"extend", r"shrink", r"expand",
    r"allocate", r"reserve", r"whitelist", r"allowlist", r"trust", r"import", r"append",
    r"declare", r"annotate", r"label", r"tag", r"unpin", r"upgrade", r"build", r"compile",
    r"activate", r"deactivate", r"source", r"edit", r"adjust", r"tweak", r"tune", r"bind",
)
# Verbs of a statement about what a product does, after its subject ("resources set …",
# "Crossplane includes …"): plural, then third person singular.
DESCRIBING_VERBS = (r"(?:set|include|provide|contain|emit|track|keep|implement|use|have|ship"
                    r"|offer|support|maintain|expose|report)")
DESCRIBING_VERBS_THIRD = (r"(?:sets|includes|provides|contains|emits|tracks|keeps|implements"
                          r"|uses|has|ships|offers|supports|maintains|exposes|reports)")
# Words that may come before the verb of an instruction ("Then run …", "To fix it, set …").
INSTRUCTION_OPENERS = (
    r"then", r"first", r"next", r"finally", r"simply", r"just", r"instead", r"alternatively",
    r"otherwise", r"also", r"now", r"either",
    r"to (?:fix|resolve|solve|avoid|prevent|work ?around|address|correct|remedy|get around)"
    r"[^,.]{0,80}",
    r"in (?:this|that|such a|either) case",
    r"if (?:so|needed|necessary|this happens|that happens|possible)",
    r"on [A-Za-z/ ]{2,30}", r"for (?:example|instance)",
    # A leading clause: "When testing, run …", "To build the extended binary, use …".
    r"(?:when|whenever|if|once|after|before|while|to|in|for|with|from|as|unless|since"
    r"|because|during|inside|within|under)\b(?:\([^()]{0,120}\)|[^,;(]){1,120},",
)
# Phrases that offer a remedy anywhere in a sentence.
REMEDY = (
    r"to (?:fix|resolve|solve|work ?around|avoid|prevent|address|correct|remedy|get around"
    r"|overcome|mitigate)",
    # "Quick fix, other than disabling the protection, is to pass …": an aside may come between.
    r"(?:the |a |one |another |possible |temporary |quick )?(?:fix|solution|workaround|remedy"
    r"|resolution|way around it)s?(?:, [^,.]{1,60},| \([^()]{1,60}\))? (?:is|are|was|would be"
    r"|here)",
    r"workarounds?",
    r"you(?:'ll| will| may| might)? (?:likely |probably |also |then |first |still )?(?:can|could"
    r"|should|need|must|may want to|might want to|have to|want to)",
    r"(?:we|i) (?:recommend|suggest)", r"(?:is|are) (?:recommended|required)", r"recommend\w*",
    r"make sure", r"ensure that", r"be sure to",
    # "One trick might be to change …", "it might help to disable them": a fix offered to try.
    r"(?:one|a|another) (?:trick|option|approach|thing to try) (?:might be|may be|is|would be) to",
    r"it (?:might|may|could|can|should) help to",
    # "Check that the addresses … are correctly formatted and reachable": a required state of
    # the reader's setup to put right, like "make sure" ("check the logs" only looks).
    r"check (?:that|whether) (?:[^.]|\.(?=\w)){1,150}? (?:is|are) (?:\w+ly )?"
    r"(?:(?:correctly|properly) \w+|correct|valid|reachable|accessible|resolvable)",
    r"(?:fix|resolve|solve|avoid|prevent|work around|address) (?:this|it|that|the)(?: \w+)? by",
    r"(?:fixed|resolved|addressed) (?:in|by|with|since)",
    # "This warning is often cleared by ensuring …": the remedy as the means of a passive;
    # "the error is solved with a clean npm cache": or as its instrument.
    r"(?:is|are) (?:usually |often |typically |generally |normally )?(?:cleared|fixed|resolved"
    r"|solved|avoided|prevented|remedied|mitigated) (?:by \w+ing|with|using|via|through)\b",
    # "… is unmounted after upgrading Lima to v1.0": when the trouble began, not the fix.
    r"(?<!after )(?<!since )(?<!when )"
    r"(?:upgrad|updat)(?:e|es|ed|ing) (?:\w+ ){0,2}to (?:v?\d|version|the latest|latest|a newer"
    r"|newer|the newest|the new|release)",
    r"instead(?! of)", r"the only way", r"one way to", r"(?:it )?helps to",
    r"should (?:be|fix|resolve|solve)",
    r"try (?:to|running|using|adding|setting|removing|installing|upgrading|again)",
    r"needs? to be", r"has to be", r"must be", r"set (?:the|it|this)",
    r"can be (?:set|changed|increased|raised|configured|disabled|enabled|used|fixed|resolved"
    r"|avoided|adjusted|overridden|worked around|solved|done|installed|removed)",
    r"can be \w+ed (?:with|by|using|via|through)",
    r"(?:one|another|an|the (?:simplest|easiest|best|recommended)|a (?:simple|quick|good))"
    r" (?:option|way|approach|solution|alternative|fix) (?:is|would be)",
    r"alternatively", r"as follows", r"(?:will |would )?requires? you to",
    # "… some of these strategies may help:": the list after it is the fix.
    r"(?:these|the following|following|some of these) (?:\w+ )?(?:strategies|steps|solutions|fixes"
    r"|workarounds|options|suggestions|tips|approaches)(?: (?:may|might|can|could|should|will))?"
    r" (?:help|work|fix|solve|resolve)",
    # "Using an explicit `hie.yaml` … can resolve the problem": what to do, as the subject.
    r"(?:can|could|should|will|may|might|would) (?:help )?(?:fix|resolve|solve|address)"
    r" (?:the|this|that|it|these|such)\b",
    # "…, so if you've modified or moved it, put it back there": an instruction after "so".
    r"so,? (?:if|when|once)\b[^,.]{1,80}, (?:" + "|".join(REMEDY_VERBS) + r")\b",
    # "Check for a second window; if there is none, restart the client": a later instruction.
    r";\s*(?:if|when|once|otherwise)\b[^,.;]{0,80},? (?:" + "|".join(REMEDY_VERBS) + r")\b",
    # "… is disabled, enable this by setting `x` to true": an instruction and its means.
    r"(?:" + "|".join(REMEDY_VERBS) + r") (?:this|it|them|that) by \w+ing",
    # "The project strongly discourages running it as root": advice against, a remedy.
    r"discourag(?:e|es|ed|ing)",
    # "There is a plugin called … which handles any potential post-fixing": a tool that fixes.
    r"there (?:is|are) (?:a|an|another) [^.]{0,80}? (?:which|that) (?:\w+ )?(?:handles?|fix(?:es)?"
    r"|resolves?|solves?|works? around|address(?:es)?|patch(?:es)?)",
    # "It is possible to tune the garbage collector … by setting GOGC to a lower value".
    r"(?:it is|it's) possible to (?:[\w-]+ ){1,8}by (?:setting|using|adding|passing|increasing"
    r"|lowering|reducing|raising|changing|disabling|enabling|removing|installing)",
)
# Checks that a fix worked.
VERIFY = (
    r"to (?:verify|confirm|validate|test|check that|make sure (?:it|that) works)",
    r"verif(?:y|ied|ication)", r"you should (?:now )?see",
    r"should (?:now )?(?:show|print|return|output|list|report|display|succeed|work|pass"
    r"|be (?:gone|fixed|resolved))",
    r"confirm (?:that|with|by)", r"check (?:that|again)", r"expected output", r"is now",
    r"are now", r"will now",
)
# A failure of the page's own advice ("If these instructions don't work, try …"): a way on
# through the document, not a problem of the tool.
META_FAILURE = (
    r"(?:these|the above|the following|those|previous|other|the|our) (?:\w+ )?(?:instructions"
    r"|steps|suggestions|strategies|solutions|workarounds|tips|options|fixes)"
    r" (?:do(?:n't| not)|did(?:n't| not)|does(?:n't| not)) (?:work|help|solve|fix|resolve)",
    r"(?:can't|cannot|couldn't) find (?:any )?(?:appropriate |relevant |the )?(?:instructions"
    r"|steps|answers?|solutions?)",
    # "If you experience an issue … and can't find an existing issue for it": the tracker.
    r"(?:can't|cannot|couldn't) find (?:an? |any )?(?:existing |open |similar )?(?:issue|bug"
    r"|ticket|report)s?",
)
# Asking for help is not a remedy ("open an issue", "ask on Slack", "contact support").
HELP_SEEKING = (
    r"(?:open|file|create|submit|report|raise) (?:an? |the )?(?:new )?(?:issue|bug|ticket"
    r"|report)", r"ask(?:ing)? (?:on|in|for|us|a question|questions)",
    r"post (?:a |your )?(?:question|issue)s?", r"posting (?:a |your )?questions?",
    r"contact (?:us|support|the)", r"reach out", r"join (?:us|the)", r"discord", r"slack",
    r"forum", r"mailing list", r"stack ?overflow", r"github discussions",
    r"search (?:for )?(?:the |existing )?(?:issues|discussions)", r"ask for help",
    r"get (?:help|support)", r"report (?:it|this|the problem)",
    r"for (?:more|further|additional|other) (?:help|information|details|info|context|background)",
    r"take a look at", r"more (?:information|details|info) (?:can be found|is available)",
    # Pointers to the rest of the page: "follow the troubleshooting steps below".
    r"(?:follow|see|read|check out|refer to|consult|visit) (?:the |our |their |these )?(?:\w+ )"
    r"{0,3}(?:steps|guide|instructions|documentation|docs|section|page|link)s? (?:below|above"
    r"|under|in the \w+ section)",
    r"this (?:guide|page|document|section|doc|faq|list) (?:covers|describes|lists|explains"
    r"|contains|shows|collects|gathers|helps|is (?:organi[sz]ed|sorted|arranged|grouped))",
    # "If you're looking for help with a specific error message, see Errors": a pointer.
    r"(?:are|'re) looking for (?:help|information|more|details|answers?|a specific)",
    r"(?:items|steps|sections|tips) (?:listed|described|shown|given) (?:here|below|above)",
)
# What a diagnostic instruction is for: "… to help debug the issue", "then export the logs".
DIAGNOSTIC_PURPOSE = (
    r"to (?:help )?(?:debug|diagnose|investigate|troubleshoot|find out|identify|see (?:more|what"
    r"|why|which|whether|if)|get (?:more )?(?:details|information|logs|output))",
    r"(?:check|see|view|inspect|retrieve|list|get|find|examine|monitor|print|show|describe)"
    r" (?:the )?(?:status|state|list of|information|info|details|events|version|health)",
    # "log in again" / "log out" is signing in, not reading logs.
    # "the debugger port" is a thing the fix touches, not the purpose of looking.
    r"logs?(?!\s+(?:in|into|on|out)\b)", r"logging", r"debug(?!gers?\b)\w*", r"verbose",
    r"verbosity",
    r"traces?", r"tracing",
    r"diagnos\w+", r"stack ?traces?",
    # "… you can learn more about what's happening behind the scenes by setting …".
    r"learn (?:more|what)", r"what(?:'s| is) happening",
)
# Investigation: sentences that look rather than change.
DIAGNOSE_VERBS = (
    r"check", r"look", r"inspect", r"investigate", r"examine", r"review", r"query", r"see",
    r"search", r"find", r"determine", r"identify", r"compare", r"list", r"view", r"watch",
    r"read", r"debug", r"diagnose",
)
# A look offered rather than a fix ("You can also see the output from the full build", "You could
# test it with `ddev ssh`"): the modal that offers a fix, followed by a verb that looks.
OFFERED_LOOK = (
    r"you (?:can|could|may|might)(?: also| then| first)? (?:see|view|watch|inspect|look|examine"
    r"|observe|read|test|try it out)",
)
DIAGNOSE = (
    r"to (?:see|check|find|investigate|diagnose|debug|inspect|determine|identify|understand"
    r"|know|learn|find out|get more)",
    r"(?:check|look) (?:if|whether|for|at|the)",
)
# Examples and reproductions: their commands are context, not the fix.
CONTEXT = (
    r"to reproduce", r"steps to reproduce", r"reproduc\w+", r"for example", r"for instance",
    r"e\.g\.", r"consider (?:the following|this)", r"suppose", r"imagine", r"let'?s say",
    r"given",
)
# Openings of a sentence that states the problem it is about ("If `npm ci` fails …").
PROBLEM_OPENERS = (
    r"if", r"when(?:ever)?", r"while", r"after", r"on", r"upon", r"sometimes", r"occasionally",
    r"in some cases", r"some users",
)
# Openings that say a problem follows, whatever words it is in ("You may see …").
PROBLEM_ANNOUNCERS = (
    r"(?:if |when )?you (?:may|might|will|could|can)? ?(?:see|get|encounter|run into|notice"
    r"|receive|hit|find|experience|face|come across)",
    r"this (?:error|message|warning|alert|exception)",
)
# A condition whose subject undergoes something ("If you experience unusual mouse behavior,
# try …", "If you forgot your credentials, …"): what follows the verb is the trouble, in
# whatever words. Not "see" or "get" alone ("If you see a prompt, type yes").
UNDERGOES = (
    r"^(?:if|when(?:ever)?) (?:you|users?) (?:(?:are|keep|start) )?(?:experienc\w+|notic\w+"
    r"|encounter\w*|run(?:ning)? into|fac(?:e|ing)|com(?:e|ing) across|forg[eo]t\w*|lost|los[ei]\w*"
    r"|(?:keep|are) (?:getting|seeing))\b",
)
# Headings that name a topic rather than a failure (matched against the whole heading).
TOPIC_TITLES = (
    r"overview", r"introduction", r"intro", r"about", r"background", r"summary",
    r"prerequisites?", r"requirements?", r"see also", r"references?", r"resources", r"links",
    r"further reading", r"more information", r"getting help", r"help", r"support",
    r"contact(?: us)?", r"reporting (?:an? )?(?:bugs?|issues?|problems?)",
    r"report(?:ing)? a bug", r"contributing", r"changelog", r"table of contents", r"contents",
    r"toc", r"notes?", r"faqs?", r"frequently asked questions", r"troubleshooting(?: guide)?",
    r"common (?:issues|problems|errors|questions)", r"known (?:issues|problems|limitations|bugs)",
    r"general", r"misc\w*", r"other", r"others", r"appendix",
    r"(?:other|more|further|additional|miscellaneous) (?:problems|issues|errors|questions|topics)",
    r"glossary", r"index", r"license",
    r"troubleshoot(?:ing)?(?: \w+){0,3}", r"known issues?(?: \w+){0,3}",
    r"(?:\w+ ){0,2}(?:information|info|details|reference|basics)",
    r"credits", r"acknowledg\w+", r"installation", r"install(?:ing)?", r"usage",
    r"configuration", r"setup", r"set ?up", r"getting started", r"quick ?start", r"debugging",
    r"logging", r"logs", r"diagnostics", r"tips(?: and tricks)?", r"best practices",
    r"(?:\w+ ){0,2}diagnos(?:is|tic)(?: steps| checks)?",
    r"examples?", r"next steps", r"conclusion", r"before you (?:begin|start)",
    r"still (?:stuck|unresolved|need help|having (?:issues|problems|trouble))\??",
    r"need (?:more )?help\??", r"questions\??", r"getting more help",
    r"(?:github|gitlab) (?:issues|discussions)", r"discord", r"slack", r"forums?", r"community",
    r"stack ?overflow", r"mailing lists?",
)
# Headings that announce a how-to or a question about usage.
HOWTO_TITLES = (
    r"how (?:to|do i|can i|do you|should i)", r"using", r"installing", r"configuring",
    r"setting up", r"enabling", r"disabling", r"creating", r"running", r"building", r"deploying",
    r"upgrading", r"migrating", r"debugging", r"writing", r"adding", r"testing", r"checking",
    r"working with", r"understanding", r"what (?:is|are)", r"when (?:to|should)", r"which",
    r"can i", r"should (?:i|we|you)", r"is (?:it|there)", r"does \w+ support",
    r"where (?:is|are|can|do)",
    r"what (?:does|do|happens)", r"how (?:does|do|is|are)",
)
# Capitalised words that open a sentence without being a verb ("Another agent …").
NOT_VERBS = frozenset((
    "the", "this", "that", "these", "those", "there", "here", "then", "when", "while", "after",
    "before", "since", "because", "although", "though", "however", "but", "and", "also", "once",
    "unless", "until", "with", "without", "within", "from", "into", "onto", "over", "under",
    "about", "above", "below", "between", "during", "inside", "outside", "most", "many", "much",
    "more", "some", "any", "all", "each", "every", "both", "either", "neither", "only", "just",
    "even", "still", "already", "often", "usually", "always", "never", "sometimes", "maybe",
    "perhaps", "probably", "which", "what", "who", "whom", "whose", "why", "how", "where",
    "whether", "another", "other", "such", "same", "several", "few", "least", "first", "second",
    "third", "last", "next", "finally", "note", "instead", "otherwise", "therefore", "thus",
    "hence", "meanwhile", "yes", "not", "now", "today", "our", "your", "their", "its", "his",
    "her", "one", "two", "three", "for",
))
