/**
 * The wordmark 稽古 ("keiko", practice) drawn as outlines, so it shows on machines without a CJK
 * font (headless Chromium on a bare Debian draws empty boxes for the text). Screen readers get the
 * text from aria-label, in Japanese.
 *
 * The outlines are the two glyphs of Noto Sans CJK JP Bold (© 2014-2021 Adobe, SIL Open Font
 * License 1.1, https://openfontlicense.org), read with fontTools from Debian's fonts-noto-cjk, in
 * font units (1000 to the em) with y flipped and the baseline at 880: the box is one em high.
 */
const GLYPHS = [
  // 稽
  'M550 827H809V869H550ZM550 755V715H809V755ZM444 638V973H550V947H809V972H920V638ZM567 32V106C567 117 566 129 565 141H393V227H532C505 267 459 308 380 341V318H279V171C321 160 360 147 396 133L311 48C243 80 129 109 26 126C39 149 54 189 59 213C93 208 130 203 166 196V318H35V426H147C117 523 69 632 19 698C37 728 64 778 74 812C107 763 139 695 166 621V970H279V575C301 608 322 643 334 667L402 575C384 554 306 475 279 454V426H380V382C395 398 409 415 417 428L448 415V493C448 583 482 607 616 607C645 607 797 607 827 607C920 607 952 586 964 497C936 493 893 480 871 466C866 516 858 524 816 524C780 524 652 524 625 524C567 524 556 519 556 492V491C674 483 807 467 905 441L836 373C768 391 660 406 556 417V371H527C572 341 603 307 624 273C625 349 648 373 745 373H860C926 373 953 354 963 278C936 273 896 260 877 246C874 286 869 291 847 291C830 291 771 291 759 291C730 291 725 289 725 268V227H947V141H871L904 107C875 82 818 49 770 30L711 88C742 101 777 121 805 141H668L669 109V32Z',
  // 古
  'M1146 498V969H1271V923H1725V965H1856V498H1566V318H1957V201H1566V30H1435V201H1044V318H1435V498ZM1271 808V612H1725V808Z',
];

export function Wordmark({ className }: { className?: string }) {
  return (
    <svg
      className={className}
      role="img"
      aria-label="稽古"
      lang="ja"
      viewBox="0 0 2000 1000"
      width="2em"
      height="1em"
      fill="currentColor"
      focusable="false"
    >
      {GLYPHS.map((path) => (
        <path key={path.slice(0, 24)} d={path} />
      ))}
    </svg>
  );
}
