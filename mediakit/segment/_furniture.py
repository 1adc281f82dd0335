"""Page furniture: the lines a scraper keeps that are not the story.

Each rule is a *shape* of furniture (a photo credit at the end of a line, a gallery counter, a
sign-up prompt at the start of a line, a copyright notice), never one outlet's exact string, and
each is written so that a sentence of the story does not match it: a content line wrongly demoted
costs more than a furniture line left in. ``furniture_kind`` decides one line on its own;
bylines depend on where the line sits and are decided in ``_lines.classify`` with ``is_byline``.

Kinds (see ``split_sentences``):

- ``caption``: photo captions and credits ("Enlarge this image toggle caption John Moore/Getty
  Images", "Hide Caption 3 of 47 Photos: ...", "... in Beijing. (Photo: Andy Wong/AP)",
  "FILE PHOTO: ... REUTERS/Jim Bourg", "Image copyright Reuters", "Photograph: Allstar/BBC").
- ``promo``: video and gallery promos ("JUST WATCHED ... Replay More Videos ... MUST WATCH",
  "Slideshow (9 Images)", "Play Video 3:27 ...", "View Photo Gallery March for Life ...": a
  gallery label opening a line makes the whole line a promo, as the gallery's title and captions
  follow it), newsletter, subscription and social prompts
  ("Sign up for Daily Newsletters", "Follow @politico", "CLICK HERE TO GET THE FOX NEWS APP"),
  "Story Continued Below", and related-link lines ("Read more: ...", "More On This...").
- ``boilerplate``: copyright and rights lines ("Copyright 2019 The Associated Press. All rights
  reserved."), advertisement markers ("Advertisement", "ADVERTISEMENT"), publisher disclaimers
  and notices ("This is a rush transcript...", "Updated at 5:02 p.m. ET"), and separator lines
  with no words ("___", "* * *").
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

# -- boilerplate -------------------------------------------------------------------------------

_AD_MARKER = re.compile(  # an advertisement marker alone on its line (any common language)
    r"^\W*(?:advertisement|advertising|advertorial|sponsored(?: content)?|ad|anzeige|werbung"
    r"|publicidad|publicité|pubblicità|reklama|annonce|anuncio)\W*"
    r"(?:continue reading(?: the main story)?|story continues below)?\W*$",
    _I,
)
_COPYRIGHT_START = re.compile(  # "Copyright © 2019 ...", "© 2019 ...", "(Copyright 2019 AP ...)"
    r"^\W*(?:tm and )?(?:copyright|©|\(c\))\s*(?:©|\(c\)|\d{4}|by\b|copyright\b)", _I)
_COPYRIGHT = re.compile(
    r"\ball rights reserved\b|\btous droits réservés\b|\btodos los derechos reservados\b"
    r"|\balle rechte vorbehalten\b|\bmay not be (?:re)?published,? broadcast"
    r"|\breprint permission\b|\bis available without charge to any eligible news publisher",
    _I,
)
_NOTICE = re.compile(
    r"\bthis is a rush transcript\b|\bmay not be in its final form\b"
    r"|^\W*this (?:article|story|piece) is more than \d+ (?:years?|months?|days?) old\W*$"
    r"|\b(?:opinions|views) expressed (?:by|in) [^.]{0,80}\b(?:are (?:their|his|her|the author'?s?)"
    r" own|do not necessarily)",
    _I,
)
_STAMP = re.compile(  # a time stamp alone: "Updated at 5:02 p.m. ET", "Published 7:14 AM EST"
    r"^\W*(?:last )?(?:updated|published|posted|modified)\b(?: on| at)?\s*:?\s*"
    r"(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)"
    r"[a-z]*\.?\s)",
    _I,
)

# -- captions ----------------------------------------------------------------------------------

_CAPTION_START = re.compile(
    r"^\W*(?:enlarge this image|toggle caption|hide caption|show caption|image caption"
    r"|media caption|media playback is unsupported|image copyright|image (?:source|credit)\s*:?"
    r"|(?:photo|picture|image|video)\s+(?:credit|courtesy)\b"
    r"|(?:photo(?:graph)?s?|animation|illustration|graphic|graphics|video|map|chart) by\b|photo\s*:"
    r"|photograph\s*:|photo illustration\b|file photo\s*:|file\s*[-–—]\s*in this\b"
    r"|(?:cover|top|main|lead|header) (?:photo|image|picture)\s*:|cover\s*:|caption\s*:"
    r"|credit\s*:|foto\s*:|bild\s*:|crédit\s*:)",
    _I,
)
_CAPTION_ANY = re.compile(
    r"(?i:\bhide caption\b|\btoggle caption\b|\b(?:prev|previous|next) (?:image|photo|slide) \d+ of"
    r" \d+|\b(?:image|photo|slide) \d+ of \d+\b|\bphotograph:\s*\S)"
    r"|\bREUTERS/[A-Z]",
)
_CAPTION_PHOTO_OF = re.compile(  # AP: "In this March 24, 2019 photo, ...", "In this file photo"
    r"^\W*(?i:file\s*[-–—]\s*)?(?i:in this) (?:[\w.,]+\s+){0,6}(?i:file\s+)?"
    r"(?i:photo|image|picture)(?i:graph)?(?:,|\s+[A-Z]|\s+(?i:taken|provided|released|made|shows?"
    r"|from|by)\b)",
)
_CAPTION_ALONE = re.compile(r"^\W*(?:photo|photos|image|picture|caption|video still)\W*$", _I)
_CREDIT_PAREN = re.compile(  # "(Photo: Andy Wong/AP)", "(Matt McClain/The Washington Post)"
    r"\((?:(?i:\s*(?:\w+\s)?(?:photo|photograph|image|picture|foto|credit|video)s?\s*(?::|by))[^()]{1,120}"
    r"|\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}\s*/\s*[A-Z][^()/]{0,40})\)\W{0,3}(?:More)?\s*$"
)
_CREDIT_SLASH = re.compile(  # "... in Detroit. Scott Olson/Getty Images", "REUTERS/Tom Westbrook"
    r"(?:^|\s)[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}\s*/\s*"
    r"(?:[A-Z][\w'’&-]*\.?(?:\s+(?:via\s+)?[A-Z][\w'’&-]*\.?){0,4}\s*/?\s*){1,3}\W{0,3}$"
)


_CREDIT_PIPE = re.compile(  # Politico: "... rally in Portland. | AP Photo", "| Getty", "| Name/AP Photo"
    r"\s\|\s*[^|]{0,60}\b(?:Photos?|Getty(?: Images)?|AP|Reuters|AFP|EPA|Images|Shutterstock)\W{0,3}$"
)
_CREDIT_LABEL = re.compile(  # "... Photo : Steve Helber ( AP )", "... Credit: Name/Agency"
    r"(?:^|\s)(?i:photo(?:graph)?s?|image|credit|foto)\s*:\s*[^.:]{2,80}$"
)


def _credit_at_end(line: str) -> bool:
    """Whether a photo credit closes the line (checked on its last characters only)."""
    tail = line[-160:].rstrip()
    if tail.endswith(("Getty Images", "Getty Images.", "Getty Images)")):
        return True
    if ")" in tail[-8:] and _CREDIT_PAREN.search(tail):
        return True
    if "|" in tail and _CREDIT_PIPE.search(tail):
        return True
    if ":" in tail[-90:] and tail[-1:] != "." and _CREDIT_LABEL.search(tail[-100:]):
        return True
    # "Name/Agency" without a final full stop: "... in Detroit. Scott Olson/Getty Images"
    return (not tail.endswith(".") and "/" in tail[-70:]
            and _CREDIT_SLASH.search(tail[-90:]) is not None)


# -- promos ------------------------------------------------------------------------------------

_VIDEO_START = re.compile(
    r"^\W*(?:(?-i:CLOSE\b)|play video\b|listen to (?:this )?article\b"
    r"|(?:slideshow|gallery|photo gallery|video|videos|photos|watch|listen)\s*"
    r"\(\s*\d+\s*(?:images?|photos?|videos?|slides?)\s*\))",
    _I,
)
_VIDEO = re.compile(
    r"(?-i:\bJUST WATCHED\b.*\bMUST WATCH\b|\bReplay More Videos\b)"
    r"|\bcan'?t see the (?:video|graphic|image)\b|\bshare this article\b"
    r"|\bmedia playback is unsupported\b",
    _I,
)
_GALLERY_OPEN = re.compile(  # "View Photo Gallery March for Life ...", "View photos ...": the
    # gallery's own title and captions follow the label on the same line, so the line is a promo
    # at any length
    r"^\W*(?:view|see|browse|launch)\s+(?:the\s+|our\s+|full\s+|all\s+)?"
    r"(?:photo\s+|image\s+|picture\s+|video\s+)?(?:gallery|galleries|slide\s?show|photos)\b",
    _I,
)
_GALLERY = re.compile(  # "Photos: Terror attacks in Brussels", "( PHOTOS: Senators up ...)"
    r"^\W*(?:photos|pictures|in pictures|gallery|slideshow|videos?|raw video|watch|listen)\s*:",
    _I,
)
_SIGNUP_START = re.compile(
    r"^\W*(?:sign up|signup|subscribe|suscr[ií]bete|abonnez-vous|abonnieren|iscriviti"
    r"|register (?:to|for|now|here|today)|join us|follow us|follow @|follow \S+ on"
    r"|download (?:the|our)|get (?:the|our) [\w\s'’]{1,40}\bapp|click here|tap here"
    r"|get [\w\s'’]{1,40}\bin your inbox|newsletter|visit [\w\s'’]{1,40}homepage"
    r"|read or share this story|send (?:us )?(?:your )?(?:news )?tips)\b|^\W*support [\w'’]+ [\w\s'’]{0,30}journalism\W*$"
    r"|^\W*(?:facebook|twitter|pinterest|linkedin|email|whatsapp|reddit)"
    r"(?:\s+(?:facebook|twitter|pinterest|linkedin|email|whatsapp|reddit|share|tweet|post)){2,}\b"
    r"(?!.*\bphotograph:)",
    _I,
)
_SIGNUP = re.compile(
    r"\bnewsletters?\W+(?:email\W+)?sign up\b|\bsign up (?:here|today|now)\b"
    r"|\bsign up (?:for|to receive|to get) (?:[\w'’#-]+\s+){0,6}(?:newsletters?|briefing|alerts?"
    r"|emails?|inbox)\b|\bdelivered to your inbox\b|\bby signing up,? you agree\b"
    r"|\bjoin us on (?:twitter|facebook)\b|\bfollow (?:us|@\w+) on\b"
    r"|\bdownload (?:the|our) (?:free )?[\w\s'’]{0,40}\bapp\b|\b(?:make|making) a (?:tax-deductible )?"
    r"donation\b|\bdonate (?:now|today|here)\b|\bsupport (?:us|our (?:work|journalism|reporting))\b",
    _I,
)
_CONTINUED = re.compile(
    r"^\W*(?:story|article|text) continues?(?:d)?(?: below| after| on next page)?\W*$"
    r"|^\W*continue reading(?: the main story| below| here)?\W*$",
    _I,
)
_RELATED = re.compile(  # related-link labels that start a line
    r"^\W*(?:more\s*:|read\s*[\"“‘']|(?:more on this|read more|read also|also read|also see|see also"
    r"|read the full (?:story|article|report)|find out more|you may also like)\b)",
    _I,
)
_RELATED_STRICT = re.compile(  # labels that are promo only with a colon or alone on the line
    r"^\W*(?:related(?: articles?| stories| coverage| content| links?)?|recommended(?: reading)?"
    r"|most read|most popular|trending(?: now)?|top stories|full coverage|editor'?s picks"
    r"|(?:recent|latest|more|related|popular) (?:stories|news|articles|headlines|videos)"
    r"|more from [\w\s'’]{1,30}|more on [\w\s'’]{1,40}|urgent poll|vote here|also on \w+)\W*(?::|$)",
    _I,
)


#: Cheap gate (substrings of the lower-cased line) before the searches anywhere in a line.
_KEYS = ("reserv", "vorbehalten", "may not be", "reprint", "without charge", "rush transcript",
         "final form", "is more than", "expressed", "just watched", "must watch", "replay",
         "see the", "share this", "playback", "caption", "photograph:", "reuters/", "sign up",
         "signing up", "inbox", "join us on", "follow us", "follow @", "download", "donat",
         "support us", "support our")
_COUNTER_KEYS = ("image ", "photo ", "slide ")
#: The literals each search needs (one in every match): which of the searches a gated line runs.
_COPYRIGHT_KEYS = ("reserv", "réserv", "vorbehalten", "may not be", "reprint", "without charge")
_NOTICE_KEYS = ("rush transcript", "final form", "is more than", "expressed")
_VIDEO_KEYS = ("just watched", "replay", "see the", "share this", "playback")
_CAPTION_KEYS = ("caption", "photograph:", "reuters/")  # and the counters ("photo 3 of 47")
_SIGNUP_KEYS = ("sign up", "signing up", "inbox", "join us on", "follow us", "follow @", "download",
                "donat", "support us", "support our")
_LONG_KEYS = ("reserv", "without charge", "rush transcript", "caption", "inbox", "sign up", "expressed",
              "donat", "download", "may not be")


def _keyed(low: str, keys: tuple[str, ...] = _KEYS) -> bool:
    for key in keys:
        if key in low:
            return True
    if (keys is _KEYS or keys is _CAPTION_KEYS) and " of " in low:
        for key in _COUNTER_KEYS:
            if key in low:
                return True
    return False


_ALNUM = re.compile(r"[^\W_]")


def _has_words(line: str) -> bool:
    return line[:1].isalnum() or _ALNUM.search(line) is not None


#: First words of every furniture shape anchored at the start of a line (the patterns above):
#: a line starting with any other word skips those checks, which keeps the common case cheap.
_START_WORDS = frozenset("""
    advertisement advertising advertorial sponsored ad anzeige werbung publicidad publicité
    pubblicità reklama annonce anuncio tm copyright c © last updated published posted modified
    enlarge toggle hide show image media photo photos picture pictures video videos photograph
    file cover top main lead header caption credit foto bild crédit in close play listen
    slideshow gallery watch raw story article text continue sign signup subscribe register join
    follow download get click tap newsletter visit read support facebook twitter pinterest
    linkedin email whatsapp reddit more also see find you related recommended most trending
    full editor editors urgent vote animation illustration graphic graphics map chart recent
    latest popular send an commentary column analysis opinion essay report review suscríbete
    suscribete abonnez abonnieren iscriviti view browse launch
""".split())
_LEAD = re.compile(r"[^\w©]*(©|[^\W_]+)")


def _by_start(line: str, n_words: int, terminal: bool) -> str | None:
    if _AD_MARKER.match(line) or (n_words <= 12 and _STAMP.match(line)) or _COPYRIGHT_START.match(line):
        return "boilerplate"
    if _VIDEO_START.match(line) or _GALLERY_OPEN.match(line):
        return "promo"
    if _CAPTION_START.match(line) or _CAPTION_PHOTO_OF.match(line) or _CAPTION_ALONE.match(line):
        return "caption"
    if (_GALLERY.match(line) and n_words <= 16) or _CONTINUED.match(line):
        return "promo"
    if n_words <= 60 and _SIGNUP_START.match(line):
        return "promo"
    if (_RELATED.match(line) and (n_words <= 25 or not terminal)) or _RELATED_STRICT.match(line):
        return "promo"
    return None


def furniture_kind(line: str, n_words: int, terminal: bool) -> str | None:
    """``caption``, ``promo`` or ``boilerplate`` when the line is page furniture, else None.

    ``n_words`` is the line's word count and ``terminal`` whether it ends like a sentence; long
    sentence-like lines need a strong sign (a credit closing the line, a gallery counter).
    """
    if not _has_words(line):
        return "boilerplate"
    lead = _LEAD.match(line)
    if lead and lead.group(1).lower() in _START_WORDS:
        kind = _by_start(line, n_words, terminal)
        if kind:
            return kind
    # Searches anywhere in a line run only when a cheap substring test says they could match:
    # a regex search over every line of a long article is the cost that matters here.
    low = line.lower()
    if n_words <= 25 or not terminal:
        keyed = _keyed(low)
    else:  # a long sentence: only the notices and prompts that come as long sentences
        keyed = _keyed(low, _LONG_KEYS) if n_words <= 60 else (
            "caption" in low or "reserv" in low)
    if keyed:  # each search only when its own literals are there ("may not be" or "see the"
        # pass the gate in plenty of news sentences; five searches over them would not)
        if ((_keyed(low, _COPYRIGHT_KEYS) and _COPYRIGHT.search(line))
                or (_keyed(low, _NOTICE_KEYS) and _NOTICE.search(line))):
            return "boilerplate"
        if _keyed(low, _VIDEO_KEYS) and _VIDEO.search(line):
            return "promo"
        if _keyed(low, _CAPTION_KEYS) and _CAPTION_ANY.search(line):
            return "caption"
        if n_words <= 60 and _keyed(low, _SIGNUP_KEYS) and _SIGNUP.search(line):
            return "promo"
    if _credit_at_end(line):
        return "caption"
    return None


def is_link_label(line: str) -> bool:
    """A related-links label ("More On This...", "Related:"): linked headlines follow it."""
    return bool(_RELATED.match(line) or _RELATED_STRICT.match(line))


# -- bylines -----------------------------------------------------------------------------------

_UP = "A-ZÀ-ÖØ-Þ"
_LO = "a-zß-öø-ÿ"
_TOKEN = (rf"(?:[{_UP}][{_LO}'’]+(?:-[{_UP}][{_LO}'’]+)?|[{_UP}]\.(?:\s?[{_UP}]\.)?"
          rf"|(?:Mc|Mac|O['’]|D['’])[{_UP}][{_LO}]+|[{_UP}][{_LO}]+[{_UP}][{_LO}]+)")
_PARTICLE = r"(?:de|da|del|della|der|den|di|du|dos|la|le|van|von|bin|ibn|al|el)"
_NAME = (rf"{_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?{_TOKEN}){{1,3}}"
         r"(?:,?\s+(?:Jr\.?|Sr\.?|II|III|IV))?")
_NAMES = rf"{_NAME}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*){_NAME}){{0,4}}"
_ROLE = (r"(?i:contributor|columnist|correspondent|reporter|writer|editor|staff|special|opinion"
         r"|bureau|chief|senior|political|national|contributing|guest|staff writer)")
_AFFIL = (rf"(?:[{_UP}0-9(][\w.&'’()/-]*|of|for|the|and|at|to|in|{_ROLE})"
          rf"(?:\s+(?:[{_UP}0-9(][\w.&'’()/-]*|of|for|the|and|at|to|in|{_ROLE})){{0,6}}")
_NAME_LINE = re.compile(rf"^\W{{0,2}}{_NAMES}(?:\s*[,|]\s*{_AFFIL})?\s*$")
_ONE_NAME_AFFIL = re.compile(rf"^\W{{0,2}}{_NAME}\s*,\s*{_AFFIL}\s*$")
#: Words that do not occur in a person's name: a line holding one is a headline or a mention.
_NOT_NAME = frozenset("""
    is on in to if not so far after both for of the a an at by with from as are was were be has
    have had will would its it this that all no new more most how why what who when where our
    your my his her their than over under into out up down off vs president ambassador senator
    sen gov governor rep secretary judge justice gen general mayor chairman speaker dr mr mrs ms
    prof rev vice former inc corp co ltd llc group
""".split())
_SIGNATURE = re.compile(rf"^\s*[-–—]+\s*{_NAMES}(?:\s*,\s*{_AFFIL})?\s*$")
_BY = re.compile(
    r"(?:^\W*(?i:(?:an? )?(?:commentary|column|analysis|opinion|essay|story|report|review) by|by"
    r"|written by|reporting by|words by|story by|text by|additional reporting by"
    r"|compiled by|edited by|por|von|par)\s+"
    rf"|^\W*(?i:contributing|contributors?)\s*:\s*)[{_UP}][^\n]{{0,120}}$"
)
_CONTRIBUTED = re.compile(
    r"^(?:[^.!?]|(?<=\b[A-Z])\.){2,160}\b(?:contributed|contributes)(?: reporting)?(?: to)? (?:this|the) "
    r"(?:report|story|article)\b[^.!?]{0,40}[.!?]?\s*$",
    _I,
)
_AFFIL_LINE = re.compile(rf"^\W{{0,2}}(?:{_AFFIL}|[\w.-]+\.(?:com|org|net))\W{{0,2}}$")


#: The first two letters (lower case) of every word ``_BY`` can start with.
_BY_HEADS = frozenset(("a ", "an", "co", "op", "es", "st", "re", "by", "wr", "wo", "te", "ad",
                       "ed", "po", "vo", "pa"))


def _may_be_by(line: str) -> bool:
    """Whether ``_BY`` can match: a line opening with ASCII letters must open with one of its
    words (most lines open with another word, and the search is the expensive part)."""
    head = line[:2]
    return not (head.isascii() and head[:1].isalnum()) or head.lower() in _BY_HEADS


def byline_anywhere(line: str, n_words: int) -> bool:
    """A byline in any position: "By X", "X contributed to this report"."""
    if _may_be_by(line) and _BY.match(line) and (n_words <= 8 or (
            n_words <= 30 and not line.rstrip().endswith((".", "!", "?")))):
        return True
    return n_words <= 40 and "ontribut" in line and _CONTRIBUTED.match(line) is not None


def is_signature(line: str) -> bool:
    """A dash and names signing off an item ("- Nicholas Wu"); the caller checks it is not one
    of a list of bulleted names."""
    return _SIGNATURE.match(line) is not None and not _has_non_name_word(line)


def _has_non_name_word(line: str) -> bool:
    return any(w.lower().strip(".,") in _NOT_NAME for w in line.split(",")[0].split())


def is_name_line(line: str, *, above_story: bool) -> bool:
    """Names only ("Eliza Collins", "David Jackson and Deirdre Shesgreen", "Susan Davis, USA
    TODAY"): a byline above the story. Further down only one name with its outlet or role
    ("Kyle Smith, National Review") counts: a list of names there is a mention."""
    if _has_non_name_word(line):
        return False
    if above_story:
        return _NAME_LINE.match(line) is not None
    return " and " not in line and _ONE_NAME_AFFIL.match(line) is not None and not re.search(
        r",\s*(?:Inc|Corp|Co|Ltd|LLC|Jr|Sr)\b", line)


def is_affiliation(line: str, n_words: int) -> bool:
    """A short credit line under a byline ("USA TODAY", "The Associated Press", "Albany Bureau")."""
    return n_words <= 6 and bool(_AFFIL_LINE.match(line))
