/**
 * A short English stopword list written for this course (function words: articles, pronouns, auxiliaries,
 * prepositions, conjunctions). Lowercase. Negations ("not", "no", "nor") are left OUT on purpose: removing them
 * flips sentiment ("not good"), which the preprocessing notebook shows.
 */
export const ENGLISH_STOPWORDS: ReadonlySet<string> = new Set(
  `a an the and or but if then else so than too very just also
i me my mine myself we us our ours ourselves you your yours yourself yourselves
he him his himself she her hers herself it its itself they them their theirs themselves
this that these those who whom whose which what where when why how
am is are was were be been being have has had having do does did doing
will would shall should can could may might must
of at by for with about against between into through during before after above below
to from up down in out on off over under again further once here there
all any both each few more most other some such only own same
as until while because
s t ll d m re ve`
    .split(/[ \n]+/)
    .filter((w) => w.length > 0),
);
