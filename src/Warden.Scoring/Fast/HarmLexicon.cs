using System.Runtime.CompilerServices;
using Warden.Text;

namespace Warden.Scoring.Fast;

/// <summary>
/// Category lexicons (insult, profanity, dehumanising, slur, threat, self-harm, exclusion, ...) in many languages, turned into
/// one feature per category. The model learns from labelled data how much each category means; the lexicon
/// carries that to languages and spellings the labelled data never showed. Entries are one to three words; a
/// trailing <c>*</c> on the last word matches any word starting with it (inflected languages); entries written in
/// scripts without spaces (Chinese, Japanese, Thai) match anywhere in the text.
/// </summary>
public sealed class HarmLexicon
{
    /// <summary>At most this many features per category and text, so one long rant does not saturate the sum.</summary>
    public const int MaxPerCategory = 3;

    private const uint StemMarker = 0x5BD1E995;
    private const int MinStemLength = 4;
    private const int MaxStemLength = 24;

    /// <summary>Feature-name suffixes of the three contexts a lexicon hit can occur in.</summary>
    private static readonly string[] Contexts = ["", "@negated", "@quoted"];
    private const int Plain = 0, Negated = 1, Quoted = 2;

    /// <summary>How many words after a negator count as negated (the classic window of negation marking).</summary>
    private const int NegationWindow = 5;

    /// <summary>At most this many words per text are masked, negated harm words and group names together (see <see cref="Extract"/>).</summary>
    public const int MaxMasks = 64;

    /// <summary>Stand-in for a negated harmful word in the text the n-grams are computed on.</summary>
    public const char NegatedMask = '\uE001';

    /// <summary>Stand-in for a word naming a demographic group, when group words are masked (see <see cref="MasksGroupWords"/>).</summary>
    public const char GroupMask = '\uE002';

    /// <summary>Stand-in for a plain harm word dropped from the n-grams in training (lexicon dropout); never seen at inference.</summary>
    public const char DroppedMask = '\uE003';

    /// <summary>
    /// What a harmless idiom with a violent word ("kill time") becomes in the text the n-grams are computed on: a plain
    /// space, so its violent n-grams are not counted and nothing marks that an idiom was there. A stand-in character of
    /// its own learned so strong a harmless weight that "I'm going to kill time, you idiot." fell to toxicity 0.24.
    /// </summary>
    public const char IdiomMask = ' ';

    /// <summary>Words that, right after a negator, mean the negation does not deny what follows ("nothing but", "not just", "no better than").</summary>
    private static readonly HashSet<string> NegationBreakers = new(StringComparer.Ordinal)
    {
        "but", "only", "just", "even", "more", "better", "less", "other", "than", "merely", "sondern", "nur", "mehr", "besser", "als", "einmal",
        "más", "mas", "que", "sino", "solo", "sólo", "plus", "seulement", "mieux", "que", "più", "solo", "meglio", "só", "mais", "melhor",
        "sadece", "daha", "tylko", "lepszy", "только", "лучше", "чем", "alleen", "maar", "beter", "bara", "bättre",
        "jen", "jenom", "len", "csak", "doar", "тільки", "лише", "само", "samo", "vain", "μόνο", "רק", "chỉ", "hanya", "cuma", "lamang", "kun",
    };

    /// <summary>Words that open a negation scope, in the languages of the contrast sets and a few more.</summary>
    private static readonly HashSet<string> Negators = new(StringComparer.Ordinal)
    {
        "not", "never", "no", "nobody", "nothing", "neither", "nor", "none", "hardly", "cannot", "dont", "don't", "doesn't", "doesnt",
        "isn't", "isnt", "aren't", "arent", "wasn't", "wasnt", "weren't", "won't", "wouldn't", "can't", "cant", "couldn't", "shouldn't", "ain't",
        "nicht", "kein", "keine", "keiner", "keinen", "keinem", "keines", "nie", "niemals", "niemand", "nunca", "jamás", "nadie", "tampoco",
        "ne", "n'", "pas", "jamais", "personne", "aucun", "aucune", "non", "mai", "nessuno", "nessuna", "né", "não", "nao", "ninguém", "nem",
        "değil", "degil", "değilsin", "değilim", "değiller", "asla", "hiç", "hic", "hiçbir", "nigdy", "nikt", "żaden", "не", "нет", "никогда", "никто",
        "ни", "ничего", "niet", "geen", "nooit", "niemand", "inte", "aldrig", "ingen", "ikke", "aldri", "ei", "لا", "لست", "ليس", "ليسوا", "لم", "لن", "ما",
        // Languages whose negator comes before what it denies, added with their contrast sets (fourth round). Left out
        // because they are common words of another language: Romanian "nu" (Swedish/Dutch "now"), Finnish "en"/"et",
        // Indonesian "tak" (Polish "yes"), Swahili "si", Hungarian "sem" (Portuguese "without"). Spanish "ni" (nor) was
        // dropped in the fifth round: it is the Swahili copula, so "wewe ni mjinga" (you are an idiot) read as negated.
        "nie", "nejsi", "nejste", "není", "nejsem", "nikdy", "nikdo", "žádný", "ні", "ніколи", "ніхто", "жоден", "никога", "никой",
        "nisi", "nije", "nisu", "nisam", "nikad", "nikada", "nitko", "niko", "nisem", "nikoli", "nem", "soha", "senki", "niciodată", "nimeni",
        "δεν", "μην", "όχι", "ποτέ", "κανείς", "לא", "אינך", "אינו", "אינה", "אף", "tidak", "bukan", "jangan", "nggak", "enggak", "gak",
        "hindi", "huwag", "không", "chẳng", "chưa", "đừng", "eivät", "ette", "emme", "sio", "hapana",
        // Fifth round, with the Hausa, Igbo, Xhosa and Zulu contrast sets (Hausa "kada" left out: Croatian/Serbian "when").
        "ba", "bai", "basu", "bamu", "bazan", "bazai", "bazamu", "bụghị", "bughi", "abụghị", "abughi", "ọbụghị", "obughi", "adịghị", "adighi",
        "enweghị", "enweghi", "onweghị", "onweghi", "ọdịghị", "odighi", "dịghị", "dighi", "hayi", "hhayi", "akukho", "soze", "akuyiyo",
        "asingabo", "angeke", "ngeke", "akusiyo", "akuyona", "akusona", "akusibo", "awusona", "awuyona", "anizona",
        "कहिल्यै", "कदापि", "हरगिज", // Nepali "never"; Malayalam and Kannada negate with suffixes
    };

    /// <summary>
    /// Words that deny what comes before them in their clause, in languages whose negator follows the predicate
    /// (twenty-second round): "Sen aptal değilsin" (Turkish), "तुम बेवकूफ नहीं हो" (Hindi), "تو احمق نیستی" (Persian),
    /// "너 바보 아니야" (Korean). The plain hits waiting for the end of the clause become negated hits there. Their words
    /// are not masked out of the n-grams (masks are laid down in text order as the words pass).
    /// </summary>
    private static readonly HashSet<string> PostNegators = new(StringComparer.Ordinal)
    {
        "değil", "degil", "değilsin", "degilsin", "değilim", "degilim", "değiller", "degiller", "değildir", "degildir", "değiliz",
        "değilsiniz", "degilsiniz", "değildi", "değildin", "değilmiş", "deyil", "deyilsən", "deyiləm", "deyillər", // Turkish, Azerbaijani
        "नहीं", "नही", "नहीँ", "نہیں", "نهیں", "ਨਹੀਂ", "નથી", "नाही", "नाहीस", "नाहीत", "होइन", "होइनौ", "নও", "নয়", "নই", "নন", // Hindi, Urdu, Punjabi, Gujarati, Marathi, Nepali, Bengali
        "نیست", "نیستی", "نیستم", "نیستید", "نیستند", "نیستیم", // Persian
        "아니야", "아니다", "아니에요", "아니예요", "아닙니다", "아냐", "아니지", "아니잖아", // Korean
        "இல்லை", "కాదు", "ಅಲ್ಲ", "അല്ല", "емес", // Tamil, Telugu, Kannada, Malayalam, Kazakh
    };

    // Values of the key table: category bits below, flags above.
    private const ulong CategoryBits = (1UL << 59) - 1;
    private const ulong PostNegatorFlag = 1UL << 59;
    private const ulong PhraseStartFlag = 1UL << 63;  // the key is the first word of a phrase entry
    private const ulong TripleStartFlag = 1UL << 62;  // the key is the first two words of a three-word entry
    private const ulong NegatorFlag = 1UL << 61;
    private const ulong BreakerFlag = 1UL << 60;

    private readonly KeyTable _keys = new();
    /// <summary>Masked spellings of the single-word harm entries (not the conjunction-only categories).</summary>
    private readonly ObfuscatedLexicon _obfuscated = new();
    /// <summary>Entries in scripts without spaces, by their first character (one scan of the text finds them all).</summary>
    private readonly Dictionary<char, List<(string Entry, ulong Mask)>> _substrings = [];

    private readonly int[] _features;
    private uint _stemLengths; // bit k: some stem has k characters, so only those prefixes are looked up
    private readonly ulong[] _stemFilter = new ulong[1024]; // 65,536-bit filter of stem hashes: most prefixes are rejected from L1
    private readonly bool _isEmpty;
    private readonly int _slots;
    private readonly string[] _featureNames; // what each of _features stands for, as hashed ("\u0001lexicon:" + name)
    private readonly ulong _groupBit, _generalBit, _addresseeBit, _traitBit, _reportingBit, _intentBit, _violenceBit, _threatBit, _idiomBit, _threatConjunctionBlockers;
    private readonly int _threatSlot; // the plain threat-phrase count
    private readonly ulong _deferrableBits; // the harm categories whose plain hits wait for the end of the clause
    private readonly ulong _conjunctionOnlyBits; // categories that are never features alone: group, generalisation, addressee, trait, reporting, intent, violence, idiom
    private readonly int _addresseeSlots; // first slot of the "addressee + category" conjunctions
    private readonly bool _maskGroups, _conjunctions, _groupContempt;
    private readonly ulong _contemptBit;
    private readonly int _contemptIndex;
    private readonly int[] _groupMaskAlone = []; // n-grams of the group stand-in without any context

    /// <summary>
    /// Lexicon category of words naming demographic groups. Never a feature alone (naming a group is not harmful);
    /// a group word in the same clause as a plain harm-lexicon hit or a generalisation ("all", "always", "these
    /// people") gives a conjunction feature, which is how hate that insults a group differs from an insult.
    /// </summary>
    public const string GroupCategory = "identity_group";

    /// <summary>Lexicon category of words generalising over a group; only used in the conjunction with <see cref="GroupCategory"/>.</summary>
    public const string GeneralisationCategory = "generalisation";

    /// <summary>
    /// Lexicon category of second-person words (you, your, du, dich, tu, sen, 你 ...). Never a feature alone; a
    /// second-person word in the same clause as a plain harm-lexicon hit gives an "addressee + category" conjunction
    /// feature: "you are an idiot" and "I will kill you" are aimed at the reader, which is what separates abuse from
    /// talk about abuse. The conjunction carries what the labelled languages teach about address to languages that
    /// only have the lexicon.
    /// </summary>
    public const string AddresseeCategory = "addressee";

    /// <summary>
    /// Lexicon category of negative traits said of a group (steal, lazy, criminals, less intelligent, don't integrate,
    /// perverts ...). Never a feature alone (most are everyday words); a trait in plain context in the same clause as a
    /// group word gives the "group + trait" conjunction, the shape of implicit hate that needs no slur or insult
    /// ("Zigeuner klauen nun mal"). Emitted whenever the lexicon has the category, with or without the other group
    /// conjunctions.
    /// </summary>
    public const string TraitCategory = "group_trait";

    /// <summary>
    /// Lexicon category of words that report or attribute a statement (saying, claims, tell, calling, bezeichnen,
    /// the myth that ...). Never a feature alone; from one to the end of its sentence there is no group + trait conjunction, since
    /// condemnations repeat the stereotype they condemn ("Saying that immigrants are rats is disgusting"), as a
    /// negator's scope keeps a negated hit out of the plain features.
    /// </summary>
    public const string ReportingCategory = "reporting";

    /// <summary>
    /// Lexicon category of words announcing or calling for an act: first-person future and volition (I will, I'm going
    /// to, ich werde, voy a), second-person announcements (you will) and normative calls (should be, someone should,
    /// gehören). Never a feature alone; with a <see cref="ViolenceCategory"/> word in plain context in the same clause it
    /// gives the "intent + violence" conjunction, the shape of a threat that no fixed phrase lists ("I'm going to stab
    /// him tomorrow", "Wir werden euch abstechen"), unless a <see cref="ThreatPhraseCategory"/> phrase is in the clause.
    /// </summary>
    public const string IntentCategory = "threat_intent";

    /// <summary>
    /// Lexicon category of verbs of serious violence against a person (kill, stab, shoot, umbringen, matar). Never a
    /// feature alone (news, games and cooking use them too); see <see cref="IntentCategory"/>. Words that fuse both
    /// (Turkish "öldüreceğim", Russian "убью") are in both categories.
    /// </summary>
    public const string ViolenceCategory = "violence";

    /// <summary>The harm lexicon's category of fixed threat phrases ("kill you", "should be shot"); a clause with one gives no intent + violence conjunction.</summary>
    public const string ThreatPhraseCategory = "threat";

    /// <summary>The harm lexicon's category of self-harm and suicide phrases ("kill myself", "kys").</summary>
    public const string SelfHarmCategory = "self_harm";

    /// <summary>Lexicon category of hatred and disgust ("I hate", "disgusting"); with a group word it can be a conjunction of its own.</summary>
    public const string ContemptCategory = "contempt";

    /// <summary>
    /// Harmless idioms holding a violent word ("kill time", "killing it", "this is killing me", "matar el tiempo", "ça me
    /// tue"; threat_terms.json, seventeenth round). Never a feature: an idiom cancels the plain threat-phrase hits and the
    /// violent words of the intent + violence conjunction that it overlaps in its clause, and is masked out of the n-grams
    /// (<see cref="IdiomMask"/>). Before, "Voy a matar el tiempo leyendo un libro." scored toxicity 0.79. Since the
    /// eighteenth round the category also holds false friends (false_friends.json: "till slut", "en retard"), everyday
    /// phrases whose word is another language's insult, and since the twentieth round literal pests (literal_pests.json:
    /// "intestinal parasites"); a phrase ending at a word drops that word's other hits, and all are masked out of the n-grams.
    /// </summary>
    public const string IdiomCategory = "violent_idiom";

    /// <param name="maskGroupWords">Replace words naming a group (the <see cref="GroupCategory"/> entries) by one stand-in character in
    /// the text the n-grams are computed on, so no weight can attach to a group's name.</param>
    /// <param name="groupConjunctions">Emit the "group word + harm in one clause" conjunction features.</param>
    /// <param name="groupContempt">Without <paramref name="groupConjunctions"/>, emit the "group word + contempt" one alone, where
    /// the clause has no reporting word ("Odio a los inmigrantes", not "Sagen, dass sie Ausländer hassen, ist falsch").</param>
    /// <param name="selfHarmBlocksThreatConjunction">A self-harm phrase in the clause ("kill myself", "mich umbringen") withholds the
    /// intent + violence conjunction, as a fixed threat phrase does: "I want to kill myself" states no threat to anyone else.</param>
    public HarmLexicon(FeatureHasher hasher, IReadOnlyDictionary<string, List<string>> categories, bool maskGroupWords = false, bool groupConjunctions = true,
        bool groupContempt = false, bool selfHarmBlocksThreatConjunction = false)
    {
        _maskGroups = maskGroupWords;
        _conjunctions = groupConjunctions;
        _groupContempt = groupContempt && !groupConjunctions;
        Categories = [.. categories.Keys.Order(StringComparer.Ordinal)];
        if (Categories.Count > 59) throw new ArgumentException("at most 59 lexicon categories", nameof(categories));
        // One feature per category and context (plain, inside a negation's scope, inside quotation marks), then one per
        // category for "a group word and this category in one clause", then "a group word and a generalisation", then
        // "a group word and a trait", then "an intent word and a violent verb", then one per category for "a second-person
        // word and this category in one clause".
        _addresseeSlots = Categories.Count * Contexts.Length + Categories.Count + 3;
        _slots = _addresseeSlots + Categories.Count;
        _featureNames = [
            .. Categories.SelectMany(c => Contexts.Select(x => c + x)),
            .. Categories.Select(c => GroupCategory + "+" + c),
            GroupCategory + "+" + GeneralisationCategory,
            GroupCategory + "+" + TraitCategory,
            IntentCategory + "+" + ViolenceCategory,
            .. Categories.Select(c => AddresseeCategory + "+" + c),
        ];
        _features = [.. _featureNames.Select(name => hasher.WordFeature("\u0001lexicon:" + name))];
        var names = Categories.ToList();
        ulong Bit(string category) => names.IndexOf(category) is var index and >= 0 ? 1UL << index : 0;
        _groupBit = Bit(GroupCategory);
        _generalBit = Bit(GeneralisationCategory);
        _addresseeBit = Bit(AddresseeCategory);
        _traitBit = Bit(TraitCategory);
        _reportingBit = Bit(ReportingCategory);
        _intentBit = Bit(IntentCategory);
        _violenceBit = Bit(ViolenceCategory);
        _threatBit = Bit(ThreatPhraseCategory);
        _threatConjunctionBlockers = _threatBit | (selfHarmBlocksThreatConjunction ? Bit(SelfHarmCategory) : 0);
        _threatSlot = names.IndexOf(ThreatPhraseCategory) * Contexts.Length + Plain;
        _idiomBit = Bit(IdiomCategory);
        _contemptIndex = names.IndexOf(ContemptCategory);
        _contemptBit = Bit(ContemptCategory);
        _conjunctionOnlyBits = _groupBit | _generalBit | _addresseeBit | _traitBit | _reportingBit | _intentBit | _violenceBit | _idiomBit;
        _deferrableBits = ~_conjunctionOnlyBits & ~_threatBit;
        for (var c = 0; c < Categories.Count; c++)
        {
            var bit = 1UL << c;
            foreach (var raw in categories[Categories[c]])
            {
                var stem = raw.EndsWith('*');
                var entry = FeaturePipeline.ForFeatures(stem ? raw[..^1] : raw).Trim();
                if (entry.Length == 0) continue;
                if (IsUnspacedScript(entry))
                {
                    if (!_substrings.TryGetValue(entry[0], out var list)) _substrings[entry[0]] = list = [];
                    var existing = list.FindIndex(e => e.Entry == entry);
                    if (existing >= 0) list[existing] = (entry, list[existing].Mask | bit);
                    else list.Add((entry, bit));
                    continue;
                }
                var words = entry.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length > 3) continue;
                if (stem && words[^1].Length is < MinStemLength or > MaxStemLength) continue;
                if (words.Length == 1 && (bit & _conjunctionOnlyBits) == 0 && !IsEmojiToken(words[0])) _obfuscated.Add(words[0], stem, bit);
                uint key = 0;
                for (var w = 0; w < words.Length; w++)
                {
                    var last = w == words.Length - 1;
                    var hash = last && stem ? StemHash(words[w]) : FeatureHasher.WordHash(words[w]);
                    key = w == 0 ? hash : Combine(key, hash);
                    if (!last) _keys.Add(key, w == 0 ? PhraseStartFlag : TripleStartFlag);
                }
                if (stem)
                {
                    _stemLengths |= 1u << words[^1].Length;
                    var bit16 = FilterBit(StemHash(words[^1]));
                    _stemFilter[bit16 >> 6] |= 1UL << (bit16 & 63);
                }
                _keys.Add(key, bit);
            }
        }
        _isEmpty = _keys.Count == 0 && _substrings.Count == 0;
        if (_isEmpty) return;
        if (_maskGroups)
        {
            // The stand-in's own n-grams ("␂", " ␂ ", the word "␂") would learn how hateful the average group mention
            // in the training data is (high: most group mentions there are in hate speech), which is the very bias
            // masking exists to remove; only n-grams that join it to its context ("␂ are", "all ␂") are kept.
            var buffer = new int[hasher.MaxFeatures(1)];
            var alone = buffer[..hasher.Extract(GroupMask.ToString(), buffer)].ToHashSet();
            alone.ExceptWith(buffer[..hasher.Extract("", buffer)]);
            _groupMaskAlone = [.. alone.Order()];
        }
        foreach (var negator in Negators) _keys.Add(FeatureHasher.WordHash(negator), NegatorFlag);
        foreach (var breaker in NegationBreakers) _keys.Add(FeatureHasher.WordHash(breaker), BreakerFlag);
        foreach (var negator in PostNegators) _keys.Add(FeatureHasher.WordHash(FeaturePipeline.ForFeatures(negator).Trim()), PostNegatorFlag);
    }

    public IReadOnlyList<string> Categories { get; } = [];

    /// <summary>Whether group words are replaced by <see cref="GroupMask"/> before the n-grams are computed.</summary>
    public bool MasksGroupWords => _maskGroups && _groupBit != 0;

    public bool IsEmpty => _isEmpty;

    /// <summary>Categories whose entries occur in a normalised text, as a bit mask over <see cref="Categories"/>.</summary>
    /// <param name="plainOnly">Count only hits in plain context (not negated, not quoted).</param>
    public ulong Match(ReadOnlySpan<char> normalized, bool plainOnly = false)
    {
        Span<int> counts = stackalloc int[_slots];
        Count(normalized, counts);
        ulong mask = 0;
        for (var c = 0; c < Categories.Count * Contexts.Length; c++)
            if (counts[c] > 0 && (!plainOnly || c % Contexts.Length == Plain)) mask |= 1UL << (c / Contexts.Length);
        return mask;
    }

    /// <summary>The bit of a category in <see cref="Match"/>'s mask; 0 when the lexicon has no such category.</summary>
    public ulong CategoryBit(string category)
    {
        for (var i = 0; i < Categories.Count; i++)
            if (string.Equals(Categories[i], category, StringComparison.Ordinal)) return 1UL << i;
        return 0;
    }

    /// <summary>
    /// All features of a normalised text: the hasher's n-grams computed on the text with every negated harmful word
    /// replaced by a stand-in character, plus the category features (plain, negated, quoted). Masking is what lets a
    /// bag of n-grams treat "you are not an idiot" differently from "you are an idiot": the insult's own n-grams are
    /// gone, and what remains is "insult@negated" and the words around it.
    /// </summary>
    /// <param name="maskPlainHits">Also mask harm words in plain context (training only: lexicon dropout, so that the
    /// category feature learns to carry a hit whose own n-grams the model has never seen).</param>
    public int Extract(FeatureHasher hasher, ReadOnlySpan<char> normalized, Span<int> buffer, bool direct = false, bool maskPlainHits = false, uint languageSalt = 0) =>
        Extract(hasher, normalized, buffer, out _, direct, maskPlainHits, languageSalt);

    /// <param name="reporting">Whether the text holds a reporting word (saying, calling, claims ...; <see cref="ReportingCategory"/>).</param>
    public int Extract(FeatureHasher hasher, ReadOnlySpan<char> normalized, Span<int> buffer, out bool reporting, bool direct = false, bool maskPlainHits = false, uint languageSalt = 0)
    {
        reporting = false;
        if (IsEmpty) return hasher.Extract(normalized, buffer, languageSalt);
        Span<int> counts = stackalloc int[_slots];
        Span<int> masks = stackalloc int[MaxMasks * 2];
        Count(normalized, counts, masks, out var maskCount, maskPlainHits, out reporting);
        int count;
        if (maskCount == 0) count = hasher.Extract(normalized, buffer, languageSalt);
        else
        {
            var rented = normalized.Length > 512 ? System.Buffers.ArrayPool<char>.Shared.Rent(normalized.Length) : null;
            var masked = rented is null ? stackalloc char[normalized.Length] : rented.AsSpan(0, normalized.Length);
            var length = 0;
            var from = 0;
            for (var m = 0; m < maskCount; m++)
            {
                // A group word's start is stored complemented, a dropped plain hit's end likewise.
                var (start, end) = (masks[m * 2], masks[m * 2 + 1]);
                var stand = start < 0 && end < 0 ? IdiomMask : start < 0 ? GroupMask : end < 0 ? DroppedMask : NegatedMask;
                if (start < 0) start = ~start;
                if (end < 0) end = ~end;
                normalized[from..start].CopyTo(masked[length..]);
                length += start - from;
                masked[length++] = stand;
                from = end;
            }
            normalized[from..].CopyTo(masked[length..]);
            length += normalized.Length - from;
            count = hasher.Extract(masked[..length], buffer, languageSalt);
            if (rented is not null) System.Buffers.ArrayPool<char>.Shared.Return(rented);
            if (_groupMaskAlone.Length > 0 && masked[..length].Contains(GroupMask)) count = Without(buffer[..count], _groupMaskAlone);
        }
        for (var c = 0; c < counts.Length; c++)
            for (var k = 0; k < Math.Min(counts[c], MaxPerCategory); k++) buffer[count++] = direct ? ~_features[c] : _features[c];
        return count;
    }

    /// <summary>Removes the features listed in <paramref name="dropped"/> in place; returns the new count.</summary>
    private static int Without(Span<int> features, ReadOnlySpan<int> dropped)
    {
        var kept = 0;
        foreach (var f in features) if (dropped.IndexOf(f) < 0) features[kept++] = f;
        return kept;
    }

    /// <summary>The most category features <see cref="Extract"/> appends.</summary>
    public int MaxFeatures => _slots * MaxPerCategory;

    /// <summary>The feature indices of a plain threat phrase and of the intent + violence conjunction (-1 where the lexicon
    /// has no such category): the evidence of a threat that <see cref="FastScorer"/> looks for sentence by sentence.</summary>
    public (int Phrase, int Conjunction) ThreatFeatures =>
        (_threatBit == 0 ? -1 : _features[_threatSlot], _intentBit == 0 || _violenceBit == 0 ? -1 : _features[Categories.Count * Contexts.Length + Categories.Count + 2]);

    /// <summary>The category features other than those of negated and quoted hits: plain hits and the conjunctions.</summary>
    public IEnumerable<int> PlainAndConjunctionFeatures =>
        _features.Where((_, i) => i >= Categories.Count * Contexts.Length || i % Contexts.Length == Plain);

    /// <summary>The name of a category feature ("insult", "insult@negated", "identity_group+insult"), or null.</summary>
    public string? FeatureName(int feature) => Array.IndexOf(_features, feature) is var i and >= 0 ? _featureNames[i] : null;

    /// <summary>The feature index of a category's hits in plain context (-1 where the lexicon has no such category).</summary>
    public int PlainFeature(string category)
    {
        for (var c = 0; c < Categories.Count; c++)
            if (Categories[c] == category) return _features[c * Contexts.Length + Plain];
        return -1;
    }

    /// <summary>
    /// The categories of one normalised word on its own, as a bit mask over <see cref="Categories"/>: exact, stem and
    /// masked-spelling look-ups, conjunction-only categories (group, addressee, ...) included, phrases and unspaced
    /// scripts not seen. For models that place the lexicon on each word rather than on the whole text.
    /// </summary>
    public ulong WordCategories(ReadOnlySpan<char> word)
    {
        if (IsEmpty || word.IsEmpty) return 0;
        Span<uint> stems = stackalloc uint[MaxStemLength];
        var mask = SpeltCategories(word, stems);
        return mask != 0 ? mask : RespeltCategories(word);
    }

    /// <summary>The categories of a single word as spelt: its exact entry and the stems it starts with.</summary>
    private ulong SpeltCategories(ReadOnlySpan<char> word, Span<uint> stems)
    {
        var mask = _keys.Get(HashWithStems(word, stems, out var stemCount)) & CategoryBits;
        foreach (var stem in stems[..stemCount])
            if (MayBeStem(stem)) mask |= _keys.Get(stem) & CategoryBits;
        return mask;
    }

    /// <summary>The second look-up of a word that matched nothing as spelt: as a masked word, else as a stretched one, else
    /// without an elided article or pronoun ("l'idiota", "d'abrutis", "t'égorger").</summary>
    private ulong RespeltCategories(ReadOnlySpan<char> word)
    {
        var mask = !_obfuscated.IsEmpty && ObfuscatedLexicon.IsCandidate(word) ? _obfuscated.Match(word) : 0;
        if (mask == 0 && TextNormalizer.HasElongation(word)) mask = ElongatedCategories(word);
        if (mask != 0) return mask;
        var rest = TextNormalizer.ElidedWordStart(word);
        return rest < 0 ? 0 : WordCategories(word[rest..]);
    }


    /// <summary>
    /// The categories of a word with a stretched letter (the normaliser keeps three of it: "idiooot", "stuuupid"), looked
    /// up with every stretched letter cut to one and to two ("idiot", "puttana"): single-word entries and stems, not
    /// phrases. Only runs of three are undone, never doubled letters, which are natural in many languages (Swahili
    /// "kuunda" is not Czech "kunda").
    /// </summary>
    private ulong ElongatedCategories(ReadOnlySpan<char> word)
    {
        if (word.Length > TextNormalizer.MaxElongatedWordLength) return 0;
        Span<char> collapsed = stackalloc char[word.Length];
        Span<uint> stems = stackalloc uint[MaxStemLength];
        ulong mask = 0;
        for (var keep = 1; keep <= 2; keep++)
        {
            var form = collapsed[..TextNormalizer.CollapseElongation(word, keep, collapsed)];
            mask |= SpeltCategories(form, stems);
            if (mask == 0 && !_obfuscated.IsEmpty && ObfuscatedLexicon.IsCandidate(form)) mask = _obfuscated.Match(form);
        }
        return mask;
    }

    /// <summary>Whether a normalised word opens a negation's scope ("not", "nicht", "değil", "don't" ...).</summary>
    public bool IsNegator(ReadOnlySpan<char> word) =>
        !IsEmpty && ((_keys.Get(FeatureHasher.WordHash(word)) & NegatorFlag) != 0 || word.EndsWith("n't", StringComparison.Ordinal));

    /// <summary>
    /// The [start, end) ranges in a normalised text of the harm words inside a negation's scope: the words
    /// <see cref="Extract"/> masks out of the n-grams, so they cannot have driven a score (spans leave them out).
    /// </summary>
    public IReadOnlyList<(int Start, int End)> NegatedWords(ReadOnlySpan<char> normalized)
    {
        Span<int> masks = stackalloc int[MaxMasks * 2];
        var maskCount = MaskedWords(normalized, masks);
        var ranges = new List<(int, int)>();
        // Group words are stored with their start complemented; only negated harm words are kept.
        for (var m = 0; m < maskCount; m++)
            if (masks[m * 2] >= 0) ranges.Add((masks[m * 2], masks[m * 2 + 1]));
        return ranges;
    }

    /// <summary>
    /// What <see cref="Extract"/> masks out of the n-grams, as ranges of the normalised text, two ints per word: a
    /// negated harm word as (start, end), a group word (when <see cref="MasksGroupWords"/>) as (~start, end), a violent
    /// idiom as (~start, ~end). Returns the
    /// number of words written (at most <see cref="MaxMasks"/>; <paramref name="masks"/> holds twice that).
    /// </summary>
    public int MaskedWords(ReadOnlySpan<char> normalized, Span<int> masks)
    {
        if (IsEmpty) return 0;
        Span<int> counts = stackalloc int[_slots];
        Count(normalized, counts, masks, out var maskCount, false, out _);
        return maskCount;
    }

    /// <summary>The lexicon hits of a normalised text: (category, plain | negated | quoted), (category, group) for a group word in the
    /// same clause, (category, addressee) for a second-person word, and (violence, intent) for the threat conjunction.</summary>
    public IReadOnlyList<(string Category, string Context)> Explain(ReadOnlySpan<char> normalized)
    {
        Span<int> counts = stackalloc int[_slots];
        Count(normalized, counts);
        var hits = new List<(string, string)>();
        var contextual = Categories.Count * Contexts.Length;
        for (var c = 0; c < counts.Length; c++)
        {
            if (counts[c] == 0) continue;
            if (c < contextual) hits.Add((Categories[c / Contexts.Length], Contexts[c % Contexts.Length] is "" ? "plain" : Contexts[c % Contexts.Length][1..]));
            else if (c >= _addresseeSlots) hits.Add((Categories[c - _addresseeSlots], AddresseeCategory));
            else if (c - contextual == Categories.Count + 2) hits.Add((ViolenceCategory, "intent"));
            else hits.Add((c - contextual < Categories.Count ? Categories[c - contextual] : c - contextual == Categories.Count ? GeneralisationCategory : TraitCategory, "group"));
        }
        return hits;
    }

    private void Count(ReadOnlySpan<char> normalized, Span<int> counts) => Count(normalized, counts, [], out _, false, out _);

    /// <summary>
    /// Counts hits per category and context, and records where each negated harm word (the last word of a phrase hit)
    /// starts and ends, two ints per word, up to the capacity of <paramref name="masks"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Count(ReadOnlySpan<char> normalized, Span<int> counts, Span<int> masks, out int maskCount, bool maskPlain, out bool reporting)
    {
        maskCount = 0;
        reporting = false;
        var afterNegator = false;
        uint previous = 0, previousPair = 0;
        bool previousStartsPhrase = false, previousPairStartsTriple = false;
        int previousWordStart = 0, previousPairWordStart = 0;
        int previousContext = Plain, previousPairContext = Plain;
        var negatedWords = 0; // words left in the current negation scope
        var quotedWords = 0;  // words left in the current quotation (capped, since quotes are often unbalanced)
        var clause = new Clause();
        Span<uint> stems = stackalloc uint[MaxStemLength];
        var start = -1;
        for (var i = 0; i <= normalized.Length; i++)
        {
            if (i < normalized.Length && normalized[i] != ' ') { if (start < 0) start = i; continue; }
            if (start < 0) continue;
            var token = normalized[start..i];
            start = -1;
            // Punctuation stays attached to words in the normalised text: "idiot!", «rats», "idiot",
            var (from, to, opensQuote, closesQuote, endsClause, endsSentence) = Trim(token);
            if (opensQuote) quotedWords = 12;
            if (from == to)
            {
                if (endsClause) { negatedWords = 0; FlushClause(ref clause, endsSentence, counts); }
                previousStartsPhrase = previousPairStartsTriple = false;
                continue;
            }
            var w = token[from..to];
            // The stem lookups wait until the word's own value is known.
            var full = HashWithStems(w, stems, out var stemCount);
            var value = _keys.Get(full);
            if (afterNegator && negatedWords > 0 && (value & BreakerFlag) != 0) negatedWords = 0;
            afterNegator = false;
            // A negator that follows what it denies turns the clause's waiting plain hits into negated ones.
            if ((value & PostNegatorFlag) != 0 && quotedWords == 0)
            {
                for (var d = 0; d < clause.DeferredWords; d++)
                {
                    Add(clause.WaitingHits[d], Negated, counts);
                    clause.WaitingHits[d] = 0;
                }
            }
            // Hits by source (the word alone, with the word before, with the two before): a group phrase is masked whole.
            var single = value & CategoryBits;
            ulong paired = 0, tripled = 0;
            var pair = 0u;
            ulong pairValue = 0;
            if (previousStartsPhrase)
            {
                pair = Combine(previous, full);
                pairValue = _keys.Get(pair);
                paired = pairValue & CategoryBits;
            }
            if (previousPairStartsTriple) tripled = _keys.Get(Combine(previousPair, full)) & CategoryBits;
            for (var k = 0; k < stemCount; k++)
            {
                var stem = stems[k];
                if (!MayBeStem(stem)) continue;
                single |= _keys.Get(stem) & CategoryBits;
                if (previousStartsPhrase) paired |= _keys.Get(Combine(previous, stem)) & CategoryBits;
                if (previousPairStartsTriple) tripled |= _keys.Get(Combine(previousPair, stem)) & CategoryBits;
            }
            // A masked or stretched word ("id*ot", "idiooot") is looked up again, only when it matched nothing as spelt.
            if ((single | paired | tripled) == 0) single = IsEmojiToken(w) ? EmojiCategories(w) : RespeltCategories(w);
            var mask = single | paired | tripled;
            reporting |= (mask & _reportingBit) != 0;
            // An idiom or false friend ending at this word ("till slut", "gato negro") gives the word its harmless sense, so
            // the word's other hits go ("slut" as an English insult); overlapped threat hits are cancelled at the clause's end.
            if (((paired | tripled) & _idiomBit) != 0) mask &= _conjunctionOnlyBits | _threatBit;
            var wordContext = quotedWords > 0 ? Quoted : negatedWords > 0 ? Negated : Plain;
            // A phrase is in the context of its first word: the negator of "don't belong here" or "no son bienvenidos"
            // is part of the phrase, not a negation of it.
            var context = tripled != 0 ? previousPairContext : paired != 0 ? previousContext : wordContext;
            var isGroup = (mask & _groupBit) != 0;
            // A plain hit waits for the end of its clause, where an idiom covering the word cancels it: the phrases that
            // start at the word ("cockroaches in the kitchen", "parasiten bei hunden") are only known after it.
            var waiting = context == Plain && _idiomBit != 0 ? clause.DeferWord(mask & _deferrableBits) : 0;
            clause.Note(mask & ~waiting, context == Plain, this);
            var threatWords = clause.NoteWords(single, paired, tripled, context == Plain, this);
            mask &= ~_conjunctionOnlyBits;
            Add(clause.Defer(mask & ~waiting, context, this, threatWords), context, counts);
            var wordStart = i - token.Length + from;
            // Only negated hits are masked: quotation marks in social-media data mark retweets and sneers as often as
            // mentions, and masking quoted words cost the quoted-slur suite 6 of 8 cases (docs/models.md).
            if (mask != 0 && (context == Negated || maskPlain && context == Plain) && (maskCount + 1) * 2 <= masks.Length)
            {
                masks[maskCount * 2] = wordStart;
                masks[maskCount * 2 + 1] = context == Plain ? ~(i - token.Length + to) : i - token.Length + to;
                maskCount++;
            }
            else if (isGroup && mask == 0 && _maskGroups)
            {
                var groupStart = (tripled & _groupBit) != 0 ? previousPairWordStart : (paired & _groupBit) != 0 ? previousWordStart : wordStart;
                // The phrase's first word may have been masked already ("gay" in "gay couples").
                while (maskCount > 0 && MaskEnd(masks, maskCount - 1) > groupStart) maskCount--;
                if ((maskCount + 1) * 2 <= masks.Length)
                {
                    masks[maskCount * 2] = ~groupStart;
                    masks[maskCount * 2 + 1] = i - token.Length + to;
                    maskCount++;
                }
            }
            if (((single | paired | tripled) & _idiomBit) != 0)
            {
                // An idiom is masked out of the n-grams whole, like a negated insult, so "kill" in "kill time" adds no
                // violence through them either; masks inside it (a negated word) give way to it. Encoded (~start, ~end).
                var idiomStart = (tripled & _idiomBit) != 0 ? previousPairWordStart : (paired & _idiomBit) != 0 ? previousWordStart : wordStart;
                while (maskCount > 0 && MaskEnd(masks, maskCount - 1) > idiomStart) maskCount--;
                if ((maskCount + 1) * 2 <= masks.Length)
                {
                    masks[maskCount * 2] = ~idiomStart;
                    masks[maskCount * 2 + 1] = ~(i - token.Length + to);
                    maskCount++;
                }
            }
            if (negatedWords > 0) negatedWords--;
            if (quotedWords > 0) quotedWords--;
            if ((value & NegatorFlag) != 0 || w.EndsWith("n't", StringComparison.Ordinal)) { negatedWords = NegationWindow; afterNegator = true; }
            if (closesQuote) quotedWords = 0;
            clause.Words++;
            if (endsClause) { negatedWords = 0; FlushClause(ref clause, endsSentence, counts); }
            previousPairStartsTriple = previousStartsPhrase && (pairValue & TripleStartFlag) != 0;
            previousPair = pair;
            previousStartsPhrase = (value & PhraseStartFlag) != 0;
            previous = full;
            previousPairWordStart = previousWordStart;
            previousWordStart = wordStart;
            previousPairContext = previousContext;
            previousContext = wordContext;
        }
        FlushClause(ref clause, endsSentence: true, counts);
        if (_substrings.Count == 0) return;
        // Texts without spaces are treated as one clause. The scripts start at U+0E00 (Thai), so most texts skip the scan.
        var first = normalized.IndexOfAnyInRange('\u0E00', '\uFFFF');
        var masked = first >= 0 && normalized.Contains('*');
        for (var i = Math.Max(first, 0); first >= 0 && i < normalized.Length; i++)
        {
            if (!IsUnspacedScript(normalized[i]) || !_substrings.TryGetValue(normalized[i], out var entries)) continue;
            foreach (var (entry, bit) in entries)
            {
                if (!normalized[i..].StartsWith(entry, StringComparison.Ordinal) && !(masked && IsMaskedAt(normalized[i..], entry))) continue;
                clause.Note(bit, plain: true, this);
                // Without word boundaries an idiom reaches every threat hit of the text.
                var threatWords = clause.NoteWords(bit, 0, 0, plain: true, this, wholeClause: true);
                Add(clause.Defer(bit & ~_conjunctionOnlyBits, Plain, this, threatWords), Plain, counts);
            }
        }
        FlushClause(ref clause, endsSentence: true, counts);
    }

    /// <summary>Adds the current clause's conjunctions and starts a new clause. A reporting word's scope runs to the end of its
    /// sentence, past commas: the reported content often follows one ("Zu behaupten, dass Ausländer klauen, ist widerlich").</summary>
    private void FlushClause(ref Clause clause, bool endsSentence, Span<int> counts)
    {
        for (var d = 0; d < clause.DeferredWords; d++)
        {
            if ((clause.WaitingWords[d] & clause.IdiomWords) != 0) continue;
            Add(clause.WaitingHits[d], Plain, counts);
            clause.Harm |= clause.WaitingHits[d];
        }
        if (clause.DeferredThreats > 0)
        {
            var kept = clause.KeptThreats();
            counts[_threatSlot] += kept;
            if (kept == 0 && !clause.CountedThreat) clause.Harm &= ~_threatBit;
        }
        if (clause.Addressee) Tally(clause.Harm, counts[_addresseeSlots..], stride: 1, offset: 0);
        var conjunctions = counts[(Categories.Count * Contexts.Length)..];
        if (clause.Group && _conjunctions)
        {
            Tally(clause.Harm, conjunctions, stride: 1, offset: 0);
            if (clause.General) conjunctions[Categories.Count]++;
        }
        // Like the threat conjunction, only where no harm-lexicon word already speaks for the clause: with both, the
        // harm categories lost weight to it, and "They are genetically inferior." (no group word) lost its identity attack.
        if (clause.Group && clause.Trait && !clause.Reported && clause.Harm == 0) conjunctions[Categories.Count + 1]++;
        if (_groupContempt && clause.Group && !clause.Reported && (clause.Harm & _contemptBit) != 0) conjunctions[_contemptIndex]++;
        // Only where no fixed threat phrase already speaks for the clause: with both, the phrases' category lost weight to
        // the conjunction, and death wishes without a violent verb ("Ojalá te mueras", a phrase) fell under the threshold.
        if (clause.Intent && (clause.ViolenceWords & ~clause.IdiomWords) != 0 && (clause.Harm & _threatConjunctionBlockers) == 0) conjunctions[Categories.Count + 2]++;
        clause = new Clause { Reported = clause.Reported && !endsSentence };
    }

    /// <summary>The words (as bits) of each threat phrase a clause defers; a fixed buffer, so <see cref="Clause"/> stays a
    /// plain struct on the stack.</summary>
    [InlineArray(Length)]
    private struct DeferredThreatWords
    {
        public const int Length = 4;
        private ulong _first;
    }

    /// <summary>A fixed buffer of bit sets for <see cref="Clause"/>'s waiting word hits.</summary>
    [InlineArray(Length)]
    private struct DeferredHits
    {
        public const int Length = 8;
        private ulong _first;
    }

    /// <summary>What the current clause holds, for the conjunction features; the reporting flag lasts to the end of the sentence.</summary>
    private struct Clause
    {
        public ulong Harm; // plain harm categories
        public bool Group, General, Trait, Addressee, Reported, Intent;
        public int DeferredThreats; // plain threat-phrase hits waiting for the end of the clause (at most MaxDeferred)
        public bool CountedThreat; // a plain threat-phrase hit past MaxDeferred, counted at once, which no idiom cancels
        public int Words; // words of the clause so far
        // The words (as bits, by position in the clause, the 64th and later sharing the last bit) of plain violent words
        // and of idioms, and of each deferred threat phrase: an idiom cancels the threat hits it overlaps ("voy a matar" in
        // "voy a matar el tiempo") but not one elsewhere in its clause ("te voy a matar" after it, "kill you" in "I'll
        // kill you before you kill me").
        public ulong ViolenceWords, IdiomWords;
        public DeferredThreatWords Threats;
        private const int MaxDeferred = DeferredThreatWords.Length;
        // The plain hits of words waiting for the end of the clause (their categories, and the word as a bit), at most
        // DeferredHits.Length of them; past that, they count at once and no idiom cancels them.
        public int DeferredWords;
        public DeferredHits WaitingHits, WaitingWords;

        /// <summary>Puts the current word's plain hits (<paramref name="hits"/>) off to the end of the clause; returns
        /// the categories put off (none when the buffer is full).</summary>
        public ulong DeferWord(ulong hits)
        {
            if (hits == 0 || DeferredWords == DeferredHits.Length) return 0;
            WaitingHits[DeferredWords] = hits;
            WaitingWords[DeferredWords++] = 1UL << Math.Min(Words, 63);
            return hits;
        }

        /// <summary>How many deferred threat phrases no idiom overlaps.</summary>
        public readonly int KeptThreats()
        {
            var kept = 0;
            for (var t = 0; t < DeferredThreats; t++)
                if ((Threats[t] & IdiomWords) == 0) kept++;
            return kept;
        }

        /// <summary>Records which words of the clause the hits of the current word cover: one, two or three words ending
        /// here, for a hit of the word alone, with the word before, or with the two before. Returns the words of a plain
        /// threat phrase ending here (0 if none).</summary>
        public ulong NoteWords(ulong single, ulong paired, ulong tripled, bool plain, HarmLexicon lexicon, bool wholeClause = false)
        {
            var words = Words;
            ulong Cover(ulong bit)
            {
                var length = (tripled & bit) != 0 ? 3 : (paired & bit) != 0 ? 2 : (single & bit) != 0 ? 1 : 0;
                if (length == 0) return 0;
                if (wholeClause) return ulong.MaxValue;
                var last = Math.Min(words, 63);
                var first = Math.Max(0, last - length + 1);
                return (ulong.MaxValue >> (63 - (last - first))) << first;
            }
            IdiomWords |= Cover(lexicon._idiomBit);
            if (!plain) return 0;
            ViolenceWords |= Cover(lexicon._violenceBit);
            return Cover(lexicon._threatBit);
        }

        /// <summary>The categories of a hit to count now: a plain threat phrase (covering <paramref name="threatWords"/>)
        /// waits for the end of its clause, where an idiom it overlaps ("kill time") cancels it (<see cref="IdiomCategory"/>);
        /// past <see cref="MaxDeferred"/> in one clause, they count at once.</summary>
        public ulong Defer(ulong mask, int context, HarmLexicon lexicon, ulong threatWords)
        {
            if (context != Plain || lexicon._idiomBit == 0 || (mask & lexicon._threatBit) == 0) return mask;
            if (DeferredThreats == MaxDeferred)
            {
                CountedThreat = true;
                return mask;
            }
            Threats[DeferredThreats++] = threatWords;
            return mask & ~lexicon._threatBit;
        }

        /// <summary>Records one hit's categories; generalisations, traits, intent, violence and harm count only in plain context.</summary>
        public void Note(ulong mask, bool plain, HarmLexicon lexicon)
        {
            Group |= (mask & lexicon._groupBit) != 0;
            Addressee |= (mask & lexicon._addresseeBit) != 0;
            Reported |= (mask & lexicon._reportingBit) != 0;
            if (!plain) return;
            General |= (mask & lexicon._generalBit) != 0;
            Trait |= (mask & lexicon._traitBit) != 0;
            Intent |= (mask & lexicon._intentBit) != 0;
            Harm |= mask & ~lexicon._conjunctionOnlyBits;
        }
    }


    private static int MaskEnd(ReadOnlySpan<int> masks, int m) => masks[m * 2 + 1] < 0 ? ~masks[m * 2 + 1] : masks[m * 2 + 1];

    private static void Add(ulong mask, int context, Span<int> counts) => Tally(mask, counts, Contexts.Length, context);

    /// <summary>Adds one to <c>slots[c * stride + offset]</c> for every category bit c set in <paramref name="mask"/>.</summary>
    private static void Tally(ulong mask, Span<int> slots, int stride, int offset)
    {
        while (mask != 0)
        {
            slots[System.Numerics.BitOperations.TrailingZeroCount(mask) * stride + offset]++;
            mask &= mask - 1;
        }
    }

    private static bool IsQuote(char c) => c is '"' or '\'' or '“' or '”' or '„' or '«' or '»' or '‘' or '’' or '‹' or '›' or '「' or '」' or '『' or '』' or '`';

    private static bool IsSentenceEnd(char c) => c is '.' or '!' or '?' or ';' or '。' or '！' or '？' or '؟';

    private static bool IsClauseEnd(char c) => c is '.' or '!' or '?' or ';' or ':' or ',' or '。' or '！' or '？' or '，' or '؟' or '،';

    /// <summary>The word inside a token's punctuation, and what that punctuation says about quotes and clauses.</summary>
    private static (int From, int To, bool OpensQuote, bool ClosesQuote, bool EndsClause, bool EndsSentence) Trim(ReadOnlySpan<char> token)
    {
        int from = 0, to = token.Length;
        var opens = false;
        var closes = false;
        var ends = false;
        var sentence = false;
        while (from < to && !IsTokenChar(token[from]))
        {
            opens |= IsQuote(token[from]);
            from++;
        }
        while (to > from && !IsTokenChar(token[to - 1]))
        {
            var c = token[to - 1];
            closes |= IsQuote(c) && !(c == '\'' && to - 1 > from && token[to - 2] == 's'); // teachers' is not a quote
            ends |= IsClauseEnd(c);
            sentence |= IsSentenceEnd(c);
            to--;
        }
        // Masked words keep their mask characters inside (f*ck); only the edges are trimmed.
        return (from, to, opens, closes, ends, sentence);
    }

    /// <summary>A character a lexicon word may hold: a word character, or an emoji or symbol (emoji stand for words: "🤡",
    /// "I will 🔪 you"; the normaliser puts every emoji run in a token of its own).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsTokenChar(char c) => FeatureHasher.IsWordChar(c) || char.IsSurrogate(c) || c >= '\u2000' && IsSymbol(c);

    private static bool IsSymbol(char c) => char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.OtherSymbol;

    /// <summary>Whether a token holds nothing but emoji and symbols.</summary>
    private static bool IsEmojiToken(ReadOnlySpan<char> token)
    {
        foreach (var c in token) if (!char.IsSurrogate(c) && !IsSymbol(c)) return false;
        return token.Length > 0;
    }

    /// <summary>Skin-tone modifiers (U+1F3FB–U+1F3FF), as the low surrogates after U+D83C.</summary>
    private static bool IsSkinTone(ReadOnlySpan<char> token, int i) => token[i] == '\uD83C' && i + 1 < token.Length && token[i + 1] is >= '\uDFFB' and <= '\uDFFF';

    /// <summary>
    /// Categories of an emoji token that did not match as written: the token without skin-tone modifiers and repeats
    /// ("🖕🏿🖕🏿" is "🖕"), then each emoji of it alone ("🤮💩"), then each pair of neighbours (a flag written as two emoji).
    /// </summary>
    private ulong EmojiCategories(ReadOnlySpan<char> token)
    {
        if (token.Length > 64) return 0;
        // The emoji of the token, each as (start, length) in a buffer without modifiers.
        Span<char> plain = stackalloc char[token.Length];
        Span<int> starts = stackalloc int[token.Length + 1];
        var length = 0;
        var count = 0;
        for (var i = 0; i < token.Length;)
        {
            if (IsSkinTone(token, i)) { i += 2; continue; }
            var unit = char.IsHighSurrogate(token[i]) && i + 1 < token.Length ? 2 : 1;
            var emoji = token.Slice(i, unit);
            // A repeat of the emoji before it adds nothing.
            if (count == 0 || !plain[starts[count - 1]..length].SequenceEqual(emoji))
            {
                starts[count++] = length;
                emoji.CopyTo(plain[length..]);
                length += unit;
            }
            i += unit;
        }
        starts[count] = length;
        var mask = _keys.Get(FeatureHasher.WordHash(plain[..length])) & CategoryBits;
        if (mask != 0 || count < 2) return mask;
        for (var k = 0; k < count; k++)
        {
            mask |= _keys.Get(FeatureHasher.WordHash(plain[starts[k]..starts[k + 1]])) & CategoryBits;
            if (k + 1 < count) mask |= _keys.Get(FeatureHasher.WordHash(plain[starts[k]..starts[k + 2]])) & CategoryBits;
        }
        return mask;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FilterBit(uint key) => (int)((key * 0x85EBCA6Bu) >> 16);

    /// <summary>
    /// One pass over a word gives its hash (as <see cref="FeatureHasher.WordHash"/>) and, at every length some stem has,
    /// the candidate stem's hash ("idiot*" matches "idioten"); returns the word's hash.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint HashWithStems(ReadOnlySpan<char> word, Span<uint> stems, out int stemCount)
    {
        stemCount = 0;
        uint h = 2166136261;
        for (var k = 0; k < word.Length; k++)
        {
            h = (h ^ word[k]) * 16777619;
            if (k < MaxStemLength && (_stemLengths >> (k + 1) & 1) != 0) stems[stemCount++] = ((h | 1) ^ StemMarker) | 1;
        }
        return h | 1;
    }

    /// <summary>Whether a stem hash can be in the lexicon: a 65,536-bit filter rejects most prefixes from L1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool MayBeStem(uint stem)
    {
        var bit = FilterBit(stem);
        return (_stemFilter[bit >> 6] & (1UL << (bit & 63))) != 0;
    }

    private static uint StemHash(string stem) => (FeatureHasher.WordHash(stem) ^ StemMarker) | 1;

    private static uint Combine(uint first, uint second) => (first * 0x9E3779B1u ^ second * 0x85EBCA6Bu) | 1;

    /// <summary>
    /// Whether <paramref name="text"/> starts with <paramref name="entry"/> written with some of its characters masked
    /// ("バ**郎", "馬鹿*郎" for 馬鹿野郎): each '*' stands for one character, at least one is masked, and at least two
    /// characters are written out (the first among them, since entries are found by their first character), so a
    /// two-character entry never matches a mask.
    /// </summary>
    internal static bool IsMaskedAt(ReadOnlySpan<char> text, string entry)
    {
        if (text.Length < entry.Length || entry.Length < 3) return false;
        int stars = 0, literals = 0;
        for (var k = 0; k < entry.Length; k++)
        {
            if (text[k] == '*') stars++;
            else if (text[k] == entry[k]) literals++;
            else return false;
        }
        return stars > 0 && literals >= 2;
    }

    internal static bool IsUnspacedScript(char c) =>
        c is >= '\u3040' and <= '\u30FF' // hiragana, katakana
            or >= '\u3400' and <= '\u4DBF' or >= '\u4E00' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF' // CJK
            or >= '\u0E00' and <= '\u0E7F'; // Thai

    private static bool IsUnspacedScript(string entry)
    {
        foreach (var c in entry) if (IsUnspacedScript(c)) return true;
        return false;
    }

}

/// <summary>
/// Open-addressing map from a 32-bit key hash to a 64-bit value, with values OR-ed on insert: a lexicon lookup happens
/// for every word and every candidate stem, and this is several times faster than a Dictionary. Key 0 marks empty
/// slots, so its value is kept aside (looked at only when a probe ends on an empty slot, off the path of a hit).
/// </summary>
internal sealed class KeyTable
{
    private uint[] _keys = new uint[16];
    private ulong[] _values = new ulong[16];
    private ulong _zeroKeyValue;
    private bool _hasZeroKey;

    public int Count { get; private set; }

    public void Add(uint key, ulong bits)
    {
        if (key == 0)
        {
            if (!_hasZeroKey) { _hasZeroKey = true; Count++; }
            _zeroKeyValue |= bits;
            return;
        }
        if ((Count + 1) * 4 > _keys.Length) Grow();
        var slot = Find(_keys, key);
        if (_keys[slot] == 0) { _keys[slot] = key; Count++; }
        _values[slot] |= bits;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Get(uint key)
    {
        var keys = _keys;
        var mask = keys.Length - 1;
        var slot = (int)((key * 0x9E3779B1u) >> 7) & mask;
        while (true)
        {
            var k = keys[slot];
            if (k == 0) return key == 0 ? _zeroKeyValue : 0;
            if (k == key) return _values[slot];
            slot = (slot + 1) & mask;
        }
    }

    private static int Find(uint[] keys, uint key)
    {
        var mask = keys.Length - 1;
        var slot = (int)((key * 0x9E3779B1u) >> 7) & mask;
        while (keys[slot] != 0 && keys[slot] != key) slot = (slot + 1) & mask;
        return slot;
    }

    private void Grow()
    {
        var keys = new uint[_keys.Length * 2];
        var values = new ulong[keys.Length];
        for (var i = 0; i < _keys.Length; i++)
        {
            if (_keys[i] == 0) continue;
            var slot = Find(keys, _keys[i]);
            keys[slot] = _keys[i];
            values[slot] = _values[i];
        }
        _keys = keys;
        _values = values;
    }
}
