namespace SleepTime.TinyModel;

/// <summary>
/// sleeptime-tiny's vocabulary: three special tokens, the ChatML markers (control tokens; <c>&lt;|im_end|&gt;</c>
/// ends a turn), and one token per character of printable ASCII plus newline. Fixed, so it never depends on the data.
/// </summary>
public sealed class CharVocabulary
{
    public const int Unknown = 0;
    public const int Start = 1;
    public const int End = 2;
    public const string TurnStart = "<|im_start|>";
    public const string TurnEnd = "<|im_end|>";

    private readonly Dictionary<char, int> ids = [];

    public CharVocabulary()
    {
        Tokens = ["<unk>", "<s>", "</s>", TurnStart, TurnEnd];
        foreach (var c in "\n".Concat(Enumerable.Range(' ', '~' - ' ' + 1).Select(i => (char)i)))
        {
            ids[c] = Tokens.Count;

            // SentencePiece writes spaces as U+2581 in its pieces; llama.cpp maps them back.
            Tokens.Add(c == ' ' ? "\u2581" : c.ToString());
        }
    }

    public static CharVocabulary Instance { get; } = new();

    /// <summary>The pieces, by id.</summary>
    public List<string> Tokens { get; }

    public int Count => Tokens.Count;

    public int TurnStartId => 3;

    public int TurnEndId => 4;

    /// <summary>The token type llama.cpp expects per id: 2 unknown, 3 control, 1 normal.</summary>
    public int TypeOf(int id) => id switch
    {
        Unknown => 2,
        < 5 => 3,
        _ => 1,
    };

    public bool IsDigit(int id) => id >= 0 && id < Tokens.Count && Tokens[id] is [>= '0' and <= '9'];

    /// <summary>Characters to ids (unknown characters become <see cref="Unknown"/>); no special tokens.</summary>
    public int[] Encode(string text) => [.. text.Select(c => ids.GetValueOrDefault(c, Unknown))];
}
