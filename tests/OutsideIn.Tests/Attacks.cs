using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Mep.OutsideIn.Tests;

/// <summary>The kinds of bad input the suite sends; each is one test per service.</summary>
public enum AttackClass
{
    MalformedJson,
    WrongTypes,
    MissingAndUnknownFields,
    Oversize,
    ControlCharacters,
    BadGuids,
    ImpossibleDates,
    OutOfRangeNumbers,
    GarbageQueryParameters,
    WrongShapePathParameters,
}

/// <summary>
/// An operation called the ordinary way: path parameters that name things that exist, the query it needs, a body it accepts (as far
/// as the suite can tell). Each attack changes one thing of it, so that the answer is about that one thing.
/// </summary>
public sealed record Baseline(ApiOperation Operation, IReadOnlyDictionary<string, string> PathValues, IReadOnlyList<KeyValuePair<string, string>> Query,
    JsonNode? Json, string? Text)
{
    /// <summary>The path with the values (already escaped) and <paramref name="overrides"/> (escaped by the caller) filled in.</summary>
    public string PathWith(IReadOnlyDictionary<string, string>? overrides = null)
    {
        var path = Operation.Path;
        foreach (var parameter in Operation.InPath)
        {
            var value = overrides?.GetValueOrDefault(parameter.Name) ?? PathValues[parameter.Name];
            path = path.Replace("{" + parameter.Name + "}", value, StringComparison.Ordinal);
        }

        return path;
    }

    public string Url(IReadOnlyDictionary<string, string>? pathOverrides = null, IEnumerable<KeyValuePair<string, string>>? query = null)
    {
        var pairs = (query ?? Query).ToList();
        return PathWith(pathOverrides) + (pairs.Count == 0 ? string.Empty : "?" + string.Join("&", pairs.Select(p => $"{p.Key}={p.Value}")));
    }
}

/// <summary>One request of the suite: which operation, which attack, what it changed, and the request itself.</summary>
public sealed record AttackRequest(ApiOperation Operation, AttackClass? Class, string What, HttpMethod Method, string PathAndQuery, byte[]? Body, string? ContentType)
{
    /// <summary>Headers the attack sets (a declared header parameter with a bad value).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>
    /// Input no reading of the request can accept (broken JSON, a value of the wrong type, an unknown or read-only field, a control
    /// character): a 2xx means the service skipped it without a word, which the API promises never to do.
    /// </summary>
    public bool MustBeRefused { get; init; }
}

/// <summary>
/// The attacks on one operation, built from what its document declares (types, formats, required, maxLength, maxItems, bounds) and
/// falling back to sensible oversize values where it declares nothing. Seeded: the same seed gives the same requests.
/// </summary>
public sealed class AttackPlan(Baseline baseline, Known known, int seed)
{
    /// <summary>How many requests of one class an operation gets drawn at random from all that apply.</summary>
    public const int PerClass = 4;

    /// <summary>
    /// How many of the requests that always go (well-formed extremes: the first and last day there is, the largest number a field
    /// holds; the unknown field; the oversize body) an operation gets at most; where more apply, they are drawn too.
    /// </summary>
    public const int AlwaysPerClass = 6;

    /// <summary>Beyond the default body limit (1 MiB) of an ordinary endpoint.</summary>
    private const int OverDefaultLimit = (1024 * 1024) + 1024;

    /// <summary>Beyond the largest body limit a bulk endpoint has (16 MiB).</summary>
    private const int OverBulkLimit = (16 * 1024 * 1024) + 1024;

    /// <summary>Where a document declares no maxLength: far more than any name, title or text of the platform needs.</summary>
    private const int UndeclaredStringOversize = 100_000;

    /// <summary>Where a document declares no maxItems: more than any list of the platform takes (a batch takes 5,000).</summary>
    private const int UndeclaredArrayOversize = 10_001;

    private readonly ApiOperation _op = baseline.Operation;
    private readonly Dictionary<string, string> _raw = new(StringComparer.Ordinal);

    public IReadOnlyList<AttackRequest> For(AttackClass attack)
    {
        var random = new Random(Seeds.For(seed, _op.Key, attack.ToString()));
        var candidates = attack switch
        {
            AttackClass.MalformedJson => MalformedBodies(),
            AttackClass.WrongTypes => WrongTypes(random),
            AttackClass.MissingAndUnknownFields => MissingAndUnknown(),
            AttackClass.Oversize => Oversize(),
            AttackClass.ControlCharacters => ControlCharacters(random),
            AttackClass.BadGuids => BadGuids(random),
            AttackClass.ImpossibleDates => ImpossibleDates(),
            AttackClass.OutOfRangeNumbers => OutOfRangeNumbers(),
            AttackClass.GarbageQueryParameters => GarbageQuery(),
            AttackClass.WrongShapePathParameters => WrongShapePath(),
            _ => [],
        };

        // What always applies goes (up to its own bound), the rest is drawn: a run is bounded, and another seed draws other requests.
        var (always, drawn) = (candidates.Where(c => c.Always).ToList(), candidates.Where(c => !c.Always).ToList());
        // A feed's query language is its whole surface: twice the draw.
        var draw = _op.FeedProperties is null ? PerClass : 2 * PerClass;
        return [.. Seeds.Sample(always, AlwaysPerClass, random).Concat(Seeds.Sample(drawn, draw, random)).Select(c => c.Request with { Class = attack })];
    }

    private sealed record Candidate(AttackRequest Request, bool Always = false)
    {
        public Candidate Refused() => this with { Request = Request with { MustBeRefused = true } };
    }

    // ---- bodies -------------------------------------------------------------------------------------------------------

    private bool JsonBody => _op.Body is { IsJson: true } && baseline.Json is not null;

    private List<Candidate> MalformedBodies()
    {
        var list = new List<Candidate>();
        if (_op.Body is null)
        {
            return list;
        }

        if (_op.Body.MediaTypes.Any(t => t.Contains("csv", StringComparison.OrdinalIgnoreCase)))
        {
            list.Add(Raw("CSV with an unclosed quote", "a,b\n\"unclosed,1\n", "text/csv").Refused());
            list.Add(Raw("CSV of binary bytes", Encoding.Latin1.GetString([.. Enumerable.Range(0, 256).Select(i => (byte)i)]), "text/csv").Refused());
            list.Add(Raw("JSON sent as text/csv", "{\"a\":1}", "text/csv"));
            list.Add(Raw("empty CSV", string.Empty, "text/csv"));
        }

        if (!JsonBody)
        {
            return list;
        }

        var json = Serialize(baseline.Json!);
        var first = FirstPropertyName() ?? "a";
        list.Add(Raw("truncated JSON", json.Length > 2 ? json[..(json.Length / 2)] : "{").Refused());
        list.Add(Raw("a property without a value", $"{{\"{first}\":}}").Refused());
        list.Add(Raw("not JSON at all", "this is not json").Refused());
        list.Add(Raw("an array where an object belongs", "[]"));
        list.Add(Raw("null as the body", "null"));
        list.Add(Raw("an empty body", string.Empty));
        list.Add(Raw("a string as the body", "\"text\""));
        list.Add(Raw("JSON nested 200 levels deep", string.Concat(Enumerable.Repeat($"{{\"{first}\":", 200)) + "1" + new string('}', 200)).Refused());
        list.Add(Raw("an array nested 5,000 levels deep", new string('[', 5000) + new string(']', 5000)).Refused());
        list.Add(Raw($"property {first} twice", json.StartsWith('{') && json.Length > 2 ? $"{{\"{first}\":null,{json[1..]}" : "{\"a\":1,\"a\":2}").Refused());
        list.Add(json.Length > 2 ? Raw("a trailing comma", json.EndsWith('}') ? json[..^1] + ",}" : json + ",").Refused() : Raw("a trailing comma", json + ","));
        list.Add(Raw("a comment in the JSON", "/* comment */" + json).Refused());
        list.Add(Raw("garbage after the JSON", json + "garbage").Refused());
        list.Add(json.Contains('"', StringComparison.Ordinal)
            ? Raw("single quotes instead of double", json.Replace('"', '\'')).Refused()
            : Raw("single quotes instead of double", json.Replace('"', '\'')));
        list.Add(new Candidate(Request("invalid UTF-8 bytes in a string",
            [.. Encoding.UTF8.GetBytes($"{{\"{first}\":\""), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes("\"}")], _op.Body.MediaType)).Refused());
        list.Add(Raw("the body as text/plain", json, "text/plain").Refused());
        list.Add(new Candidate(Request("the body without a Content-Type", Encoding.UTF8.GetBytes(json), null)));
        list.Add(Raw("the body as application/x-www-form-urlencoded", "a=1&b=2", "application/x-www-form-urlencoded").Refused());
        list.Add(Raw("a UTF-8 body labelled UTF-16", json, "application/json; charset=utf-16"));
        return list;
    }

    private List<Candidate> WrongTypes(Random random)
    {
        var list = new List<Candidate>();
        if (!JsonBody)
        {
            return list;
        }

        foreach (var slot in Slots())
        {
            var s = Schemas.Effective(slot.Schema);
            string[] wrong = Schemas.IsObject(s) ? ["\"x\"", "[]", "1", "true"]
                : Schemas.IsArray(s) ? ["{}", "\"x\"", "1"]
                : Schemas.IsBoolean(s) ? ["\"true\"", "1", "\"yes\"", "[]"]
                : Schemas.IsInteger(s) ? ["\"12\"", "true", "1.5", "[]", "{}"]
                : Schemas.IsNumber(s) ? ["\"12.50\"", "true", "[]", "{}"]
                : Schemas.HasEnum(s) ? ["0", "\"notAValueOfThisEnum\"", "true", "[]"]
                : ["12345", "true", "{}", "[]", "1.5"];
            var value = wrong[random.Next(wrong.Length)];
            var candidate = Json($"{slot.Path} = {value}", root => Set(root, slot, RawNode(value)));
            // A field the document gives no type may take any JSON; every other one refuses a value of another type.
            list.Add(s.Type is null && !Schemas.HasEnum(s) ? candidate : candidate.Refused());
        }

        return list;
    }

    private List<Candidate> MissingAndUnknown()
    {
        var list = new List<Candidate>();
        if (!JsonBody)
        {
            return list;
        }

        list.Add(new Candidate(Raw("an empty object", "{}").Request, Always: true));
        list.Add(new Candidate(Json("an unknown field at the top", root => (root as JsonObject)?.TryAdd("mepUnknownField", "x")).Request, Always: true).Refused());
        foreach (var slot in Slots())
        {
            var s = Schemas.Effective(slot.Schema);
            if (slot.Required || (!Schemas.IsNullable(s) && slot.Depth == 0))
            {
                list.Add(Json($"{slot.Path} left out", root => Remove(root, slot)));
            }

            if (!Schemas.IsNullable(s))
            {
                list.Add(Json($"{slot.Path} = null", root => Set(root, slot, null)));
            }

            if (s.ReadOnly)
            {
                list.Add(Json($"read-only {slot.Path} sent", root => Set(root, slot, Schemas.Valid(s, slot.Name, known))).Refused());
            }

            if (Schemas.IsObject(s))
            {
                list.Add(Json($"an unknown field in {slot.Path}", root => Set(root, slot.Child("mepUnknownField", s), JsonValue.Create("x"))).Refused());
            }
        }

        return list;
    }

    private List<Candidate> Oversize()
    {
        var list = new List<Candidate>();
        if (_op.Body is not null && !JsonBody)
        {
            list.Add(new Candidate(Raw("a CSV body of 1 MiB + 1 KiB", "a,b\n" + new string('x', OverDefaultLimit), _op.Body.MediaType).Request, Always: true));
            if (baseline.Text?.Split('\n') is [var header, var row, ..])
            {
                list.Add(Raw($"a CSV of {UndeclaredArrayOversize:N0} rows", header + "\n" + string.Concat(Enumerable.Repeat(row + "\n", UndeclaredArrayOversize)), _op.Body.MediaType));
                list.Add(Raw("a CSV cell of 100,000 characters", $"{header}\n{new string('x', UndeclaredStringOversize)}{row}\n", _op.Body.MediaType));
            }

            return list;
        }

        if (!JsonBody)
        {
            return list;
        }

        var slots = Slots().ToList();
        var textSlot = slots.FirstOrDefault(s => Schemas.IsString(Schemas.Effective(s.Schema)) && !Schemas.HasEnum(Schemas.Effective(s.Schema)) && s.Depth == 0);
        list.Add(new Candidate(Json("a body of 1 MiB + 1 KiB", root => Pad(root, textSlot, OverDefaultLimit)).Request, Always: true));
        if (slots.Any(s => Schemas.IsArray(Schemas.Effective(s.Schema)) && s.Depth == 0))
        {
            // Bulk endpoints take up to 16 MiB; past that is refused too.
            list.Add(new Candidate(Json("a body of 16 MiB + 1 KiB", root => Pad(root, textSlot, OverBulkLimit)).Request, Always: true));
        }

        list.Add(Json("a field name of 10,000 characters", root => (root as JsonObject)?.TryAdd(new string('n', 10_000), 1)));
        foreach (var slot in slots)
        {
            var s = Schemas.Effective(slot.Schema);
            if (Schemas.IsString(s) && !Schemas.HasEnum(s) && Schemas.Format(s) is null or "email" or "uri")
            {
                var length = s.MaxLength is { } max ? max + 1 : UndeclaredStringOversize;
                var why = s.MaxLength is { } declared ? $"maxLength {declared} + 1" : "no maxLength declared";
                list.Add(Json($"{slot.Path} of {length:N0} characters ({why})", root => Set(root, slot, JsonValue.Create(new string('x', length)))));
            }
            else if (Schemas.IsArray(s))
            {
                var count = s.MaxItems is { } max ? max + 1 : UndeclaredArrayOversize;
                var why = s.MaxItems is { } declared ? $"maxItems {declared} + 1" : "no maxItems declared";
                var element = Get(baseline.Json!, slot) is JsonArray { Count: > 0 } existing ? existing[0] : Schemas.Valid(s.Items, slot.Name, known);
                list.Add(Json($"{slot.Path} with {count:N0} items ({why})", root =>
                    Set(root, slot, new JsonArray([.. Enumerable.Range(0, count).Select(_ => element?.DeepClone())]))));
            }
        }

        return list;
    }

    private static readonly (string Name, string Text)[] Controls =
    [
        ("NUL", "\u0000"), ("SOH", "\u0001"), ("backspace", "\u0008"), ("escape", "\u001b[2J"), ("DEL", "\u007f"), ("NEL", "\u0085"),
        ("C1 0x9F", "\u009f"), ("vertical tab", "\u000b"),
    ];

    private List<Candidate> ControlCharacters(Random random)
    {
        var list = new List<Candidate>();
        if (JsonBody)
        {
            foreach (var slot in Slots().Where(s => Schemas.IsString(Schemas.Effective(s.Schema))))
            {
                var (name, text) = Controls[random.Next(Controls.Length)];
                var current = Get(baseline.Json!, slot) is JsonValue v && v.TryGetValue<string>(out var str) ? str : "x";
                list.Add(Json($"{name} in {slot.Path}", root => Set(root, slot, JsonValue.Create(current + text + "y"))));
                list.Add(Json($"an unpaired surrogate in {slot.Path}", root => Set(root, slot, RawNode("\"x\\ud800y\""))));
            }

            list.Add(Json("NUL in a field name", root => (root as JsonObject)?.TryAdd("a\u0000b", 1)));
        }
        else if (_op.Body is not null)
        {
            var lines = (baseline.Text ?? "a,b\nx,1\n").Split('\n');
            foreach (var (name, control) in Controls.Take(3))
            {
                var cells = lines.Length > 1 ? lines[1] : string.Empty;
                var cut = Math.Max(0, cells.IndexOfAny([',', ';']));
                list.Add(Raw($"{name} in a CSV cell", string.Join('\n', [lines[0], cells.Insert(cut, control), .. lines.Skip(2)]), _op.Body.MediaType));
            }
        }

        foreach (var parameter in _op.InPath)
        {
            list.Add(PathCandidate(parameter, "%00", $"NUL in path parameter {parameter.Name}"));
            list.Add(PathCandidate(parameter, "x%0Ay", $"a line break in path parameter {parameter.Name}"));
        }

        foreach (var parameter in _op.InQuery)
        {
            list.Add(QueryCandidate(parameter.Name, "x%00y", $"NUL in query parameter {parameter.Name}"));
            list.Add(QueryCandidate(parameter.Name, "%1B%5B2J", $"escape in query parameter {parameter.Name}"));
        }

        // No text of the platform takes a control character (tab and line breaks aside, in bodies): each of these must be refused.
        return [.. list.Select(c => c.Refused())];
    }

    private List<Candidate> BadGuids(Random random)
    {
        var list = new List<Candidate>();
        string[] values =
        [
            "not-a-guid", "", "00000000-0000-0000-0000-000000000000", "{" + Guid.NewGuid() + "}", Guid.NewGuid() + "0", "12345",
            Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString(), "ffffffff-ffff-ffff-ffff-fffffffffffff", "g0000000-0000-0000-0000-000000000000",
        ];
        if (JsonBody)
        {
            foreach (var slot in Slots().Where(s => Schemas.IsUuid(Schemas.Effective(s.Schema))))
            {
                var value = values[random.Next(values.Length)];
                list.Add(Json($"{slot.Path} = \"{value}\"", root => Set(root, slot, JsonValue.Create(value))));
            }
        }

        foreach (var parameter in _op.InQuery.Where(p => p.Schema is { } s && Schemas.IsUuid(Schemas.Effective(s))))
        {
            var value = values[random.Next(values.Length)];
            list.Add(QueryCandidate(parameter.Name, Uri.EscapeDataString(value), $"query {parameter.Name}={value}"));
        }

        return list;
    }

    private static readonly string[] ImpossibleDays =
    [
        "2024-02-30", "2023-13-01", "0000-01-01", "+010000-01-01", "2024-1-1", "", "31.12.2024", "2024-02-29T00:00:00Z",
    ];

    private static readonly string[] ExtremeDays = ["0001-01-01", "9999-12-31"];

    private static readonly string[] ImpossibleInstants =
    [
        "2024-02-30T10:00:00Z", "2024-02-29T25:61:00Z", "2024-06-01T12:00:00+25:00", "2024-06-01", "",
    ];

    /// <summary>The first and last instants there are, and the two whose offset takes them past either end in UTC.</summary>
    private static readonly string[] ExtremeInstants =
        ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"];

    private List<Candidate> ImpossibleDates()
    {
        var list = new List<Candidate>();
        if (JsonBody)
        {
            var dates = Slots().Where(s => Schemas.IsDate(Schemas.Effective(s.Schema))).ToList();
            foreach (var slot in dates)
            {
                var day = Schemas.Format(Schemas.Effective(slot.Schema)) == "date";
                foreach (var value in day ? ImpossibleDays : ImpossibleInstants)
                {
                    list.Add(Json($"{slot.Path} = \"{value}\"", root => Set(root, slot, JsonValue.Create(value))));
                }

                // Well-formed, so past the reader: what a calculation does with the first or last day there is.
                foreach (var value in day ? ExtremeDays : ExtremeInstants)
                {
                    list.Add(new Candidate(Json($"{slot.Path} = \"{value}\"", root => Set(root, slot, JsonValue.Create(value))).Request, Always: true));
                }
            }

            // Two dates of one object are usually a range: the widest one there is, and one that ends before it starts.
            foreach (var pair in dates.GroupBy(s => string.Join(".", s.Parent)).Where(g => g.Count() >= 2).Select(g => g.Take(2).ToList()))
            {
                var (from, to) = (pair[0], pair[1]);
                var (min, max) = Schemas.Format(Schemas.Effective(from.Schema)) == "date" ? ("0001-01-01", "9999-12-31") : ("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z");
                list.Add(new Candidate(Json($"{from.Path} = {min} and {to.Path} = {max}",
                    root => { Set(root, from, JsonValue.Create(min)); Set(root, to, JsonValue.Create(max)); }).Request, Always: true));
                list.Add(Json($"{to.Path} before {from.Path}", root =>
                {
                    Set(root, from, JsonValue.Create(Schemas.Format(Schemas.Effective(from.Schema)) == "date" ? "2025-12-31" : "2025-12-31T00:00:00Z"));
                    Set(root, to, JsonValue.Create(Schemas.Format(Schemas.Effective(to.Schema)) == "date" ? "2025-01-01" : "2025-01-01T00:00:00Z"));
                }));
            }
        }

        foreach (var parameter in _op.InQuery.Where(p => p.Schema is { } s && Schemas.IsDate(Schemas.Effective(s))))
        {
            var day = Schemas.Format(Schemas.Effective(parameter.Schema!)) == "date";
            foreach (var value in day ? ImpossibleDays : ImpossibleInstants)
            {
                list.Add(QueryCandidate(parameter.Name, Uri.EscapeDataString(value), $"query {parameter.Name}={value}"));
            }

            foreach (var value in day ? ExtremeDays : ExtremeInstants)
            {
                list.Add(QueryCandidate(parameter.Name, Uri.EscapeDataString(value), $"query {parameter.Name}={value}") with { Always = true });
            }
        }

        return list;
    }

    private List<Candidate> OutOfRangeNumbers()
    {
        var list = new List<Candidate>();
        if (JsonBody)
        {
            foreach (var slot in Slots())
            {
                var s = Schemas.Effective(slot.Schema);
                if (Schemas.IsInteger(s) || Schemas.IsNumber(s))
                {
                    foreach (var value in NumbersFor(s))
                    {
                        list.Add(Json($"{slot.Path} = {value}", root => Set(root, slot, RawNode(value))));
                    }

                    // Well-formed, so past the reader: the largest and smallest values the field holds, for the arithmetic behind it.
                    foreach (var value in ExtremesFor(s))
                    {
                        list.Add(new Candidate(Json($"{slot.Path} = {value}", root => Set(root, slot, RawNode(value))).Request, Always: true));
                    }
                }
            }
        }

        foreach (var parameter in _op.InQuery.Concat(_op.InPath).Where(p => p.Schema is { } s && (Schemas.IsInteger(Schemas.Effective(s)) || Schemas.IsNumber(Schemas.Effective(s)))))
        {
            var s = Schemas.Effective(parameter.Schema!);
            foreach (var (value, always) in NumbersFor(s).Where(v => !v.Contains('e', StringComparison.Ordinal)).Select(v => (v, false))
                         .Concat(ExtremesFor(s).Select(v => (v, true))))
            {
                var candidate = parameter.Location == ParameterLocation.Path
                    ? PathCandidate(parameter, Uri.EscapeDataString(value), $"path {parameter.Name} = {value}")
                    : QueryCandidate(parameter.Name, Uri.EscapeDataString(value), $"query {parameter.Name}={value}");
                list.Add(candidate with { Always = always });
            }
        }

        return list;
    }

    private static IEnumerable<string> ExtremesFor(IOpenApiSchema s) => Schemas.IsNumber(s)
        ? ["79228162514264337593543950335", "-79228162514264337593543950335"]
        : Schemas.Format(s) == "int64" ? ["9223372036854775807", "-9223372036854775808"] : ["2147483647", "-2147483648"];

    private static IEnumerable<string> NumbersFor(IOpenApiSchema s)
    {
        string[] common = ["-1", "0", "2147483648", "-2147483649", "9223372036854775808", "1e400", "79228162514264337593543950336"];
        foreach (var value in common)
        {
            yield return value;
        }

        yield return Schemas.IsInteger(s) ? "1.5" : "0.001";
        if (Schemas.IsNumber(s))
        {
            yield return "-0.01";
            yield return "1e-400";
        }

        if (Schemas.Maximum(s) is { } max)
        {
            yield return (max + 1).ToString(CultureInfo.InvariantCulture);
        }

        if (Schemas.Minimum(s) is { } min)
        {
            yield return (min - 1).ToString(CultureInfo.InvariantCulture);
        }
    }

    // ---- query and path -----------------------------------------------------------------------------------------------

    private static readonly (string Encoded, string Shown)[] QueryGarbage =
    [
        ("%27%20OR%20%271%27%3D%271", "' OR '1'='1"), (new string('a', 10_000), "10,000 characters"), ("%zz", "%zz (a broken escape)"),
        ("%E2%82", "a truncated UTF-8 sequence"), ("%F0%9F%98%80", "an emoji"), ("%5B%5D", "[]"), ("", "nothing"), ("-", "-"),
        ("%C0%AE", "an overlong UTF-8 dot"), ("true", "true"), ("1e5", "1e5"),
    ];

    /// <summary>
    /// The OData routes read the OData query options and, as OData allows, ignore custom ones (names without $); every other
    /// endpoint refuses a query parameter it does not read.
    /// </summary>
    private bool ReadsODataOptions => _op.FeedProperties is not null || _op.Path.Contains("/odata", StringComparison.Ordinal);

    private static readonly (string Value, string Shown)[] HeaderGarbage =
    [
        // Not "*": for If-Match it is a valid value (any version), and a DELETE carrying it rightly deleted the world's scenario.
        (new string('a', 8_000), "8,000 characters"), ("", "nothing"), ("\"unclosed", "an unclosed quote"), ("W/\"x\", \"y\"", "a list"),
        ("' OR 1=1 --", "' OR 1=1 --"), ("Ã¤", "Latin-1 bytes"),
    ];

    private List<Candidate> GarbageQuery()
    {
        var list = new List<Candidate>
        {
            new(Request("an unknown query parameter mepUnknown=1", baseline.Url(query: [.. baseline.Query, new("mepUnknown", "1")]),
                BodyBytes(), BodyType()) with { MustBeRefused = !ReadsODataOptions }, Always: true),
        };
        if (_op.FeedProperties is { } properties)
        {
            list.AddRange(FeedOptions(properties).Select(option => new Candidate(
                Request($"OData {Uri.UnescapeDataString(option)}", baseline.Url(query: OptionPairs(option)), null, null))));
        }

        foreach (var parameter in _op.Parameters.Where(p => p.Location == ParameterLocation.Header))
        {
            foreach (var (value, shown) in HeaderGarbage)
            {
                list.Add(new Candidate(Request($"header {parameter.Name} = {shown}", baseline.Url(), BodyBytes(), BodyType())
                    with { Headers = [new(parameter.Name, value)] }));
            }
        }

        foreach (var parameter in _op.InQuery)
        {
            foreach (var (encoded, shown) in QueryGarbage)
            {
                list.Add(QueryCandidate(parameter.Name, encoded, $"query {parameter.Name} = {shown}"));
            }

            list.Add(new Candidate(Request($"query {parameter.Name} given twice",
                baseline.Url(query: [.. baseline.Query.Where(q => q.Key != parameter.Name), new(parameter.Name, "1"), new(parameter.Name, "abc")]),
                BodyBytes(), BodyType())));
        }

        return list;
    }

    /// <summary>OData system query options a caller gets wrong, or pushes to the limits (encoded, as they go on the wire).</summary>
    private static IEnumerable<string> FeedOptions(IReadOnlyList<string> properties)
    {
        var key = properties.FirstOrDefault(p => p.EndsWith("Id", StringComparison.Ordinal)) ?? (properties.Count > 0 ? properties[0] : "Id");
        var text = properties.FirstOrDefault(p => p.Contains("Name", StringComparison.Ordinal) || p.Contains("Title", StringComparison.Ordinal)) ?? key;
        string[] filters =
        [
            $"{key} eq 'x'", "nonexistent eq 1", $"length({text}) gt 2147483648", "1 div 0 eq 1", $"cast({key},Edm.Int32) eq 1",
            string.Concat(Enumerable.Repeat("(", 60)) + "true" + new string(')', 60), $"startswith({text},", $"date({key}) eq 2024-02-30",
            $"{key} in (" + string.Join(",", Enumerable.Range(0, 150).Select(_ => Guid.NewGuid().ToString())) + ")",
            $"{text} eq '" + new string('x', 5000) + "'", $"substring({text},-1) eq 'x'", $"{key} eq {key} and {key} ne {key} or true",
        ];
        foreach (var filter in filters)
        {
            yield return "$filter=" + Uri.EscapeDataString(filter);
        }

        foreach (var option in new[]
                 {
                     "$orderby=Nope", "$orderby=" + string.Join(",", properties.Take(10)), "$select=Nope", "$expand=Nope", "$expand=*($levels=max)",
                     "$top=-1", "$top=2147483648", "$skip=-1", "$skip=2147483647", "$apply=groupby((Nope))", $"$apply=groupby(({key}))/aggregate($count as C)",
                     "$apply=aggregate(Nope with sum as S)", "$count=maybe", "$search=x", "$compute=1 div 0 as X", "$skiptoken=garbage", "$format=application/xml",
                     "$format=garbage", "$top=1&$top=2", "$levels=1", "$id=x", "$unknownOption=1",
                 })
        {
            yield return string.Join("&", option.Split('&').Select(pair => pair.Split('=', 2) is [var name, var value] ? $"{name}={Uri.EscapeDataString(value)}" : pair));
        }
    }

    private static List<KeyValuePair<string, string>> OptionPairs(string query) =>
        [.. query.Split('&').Select(pair => pair.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], p.Length > 1 ? p[1] : string.Empty))];

    private static readonly (string Encoded, string Shown)[] PathGarbage =
    [
        (new string('a', 4000), "4,000 characters"), ("%2e%2e", "%2e%2e"), ("a%2Fb", "a%2Fb (an encoded slash)"), ("%C0%AE", "an overlong UTF-8 dot"),
        ("%F0%9F%98%80", "an emoji"), ("%27%20OR%201%3D1%20--", "' OR 1=1 --"), ("%20", "a space"), ("%25", "%"), ("%E2%82", "a truncated UTF-8 sequence"),
    ];

    private List<Candidate> WrongShapePath()
    {
        var list = new List<Candidate>();
        foreach (var parameter in _op.InPath)
        {
            var s = parameter.Schema is null ? null : Schemas.Effective(parameter.Schema);
            IEnumerable<(string, string)> values = s is not null && Schemas.IsUuid(s)
                ? [("not-a-guid", "not-a-guid"), ("0", "0"), ("00000000-0000-0000-0000-000000000000", "the empty guid"), .. PathGarbage]
                : s is not null && Schemas.IsInteger(s)
                    ? [("abc", "abc"), ("99999999999999999999", "99999999999999999999"), ("-1", "-1"), ("1.5", "1.5"), ("0x10", "0x10"), .. PathGarbage]
                    : PathGarbage;
            foreach (var (encoded, shown) in values)
            {
                list.Add(PathCandidate(parameter, encoded, $"path {parameter.Name} = {shown}"));
            }
        }

        return list;
    }

    // ---- building requests --------------------------------------------------------------------------------------------

    private Candidate PathCandidate(ApiParameter parameter, string encoded, string what) =>
        new(Request(what, baseline.Url(new Dictionary<string, string> { [parameter.Name] = encoded }), BodyBytes(), BodyType()));

    private Candidate QueryCandidate(string name, string encoded, string what) =>
        new(Request(what, baseline.Url(query: [.. baseline.Query.Where(q => q.Key != name), new(name, encoded)]), BodyBytes(), BodyType()));

    private Candidate Raw(string what, string body, string? mediaType = null) =>
        new(Request(what, baseline.Url(), Encoding.UTF8.GetBytes(body), mediaType ?? _op.Body?.MediaType));

    private Candidate Json(string what, Action<JsonNode> mutate)
    {
        var root = baseline.Json!.DeepClone();
        mutate(root);
        return new Candidate(Request(what, baseline.Url(), Encoding.UTF8.GetBytes(Serialize(root)), _op.Body!.MediaType));
    }

    private AttackRequest Request(string what, string url, byte[]? body, string? contentType) =>
        new(_op, default, what, _op.Method, url, body, contentType);

    private AttackRequest Request(string what, byte[] body, string? contentType) => Request(what, baseline.Url(), body, contentType);

    /// <summary>The ordinary body, sent along with query and path attacks so that only the one thing is wrong.</summary>
    private byte[]? BodyBytes() =>
        baseline.Json is { } json ? Encoding.UTF8.GetBytes(Serialize(json)) : baseline.Text is { } text ? Encoding.UTF8.GetBytes(text) : null;

    private string? BodyType() => baseline.Json is not null || baseline.Text is not null ? _op.Body?.MediaType : null;

    private string? FirstPropertyName() => baseline.Json is JsonObject o && o.Count > 0 ? o.First().Key : Slots().FirstOrDefault()?.Name;

    /// <summary>A JSON token System.Text.Json cannot hold as a value (1e400, an unpaired surrogate escape): a marker replaced on writing.</summary>
    private JsonValue RawNode(string rawJson)
    {
        var marker = $"mep-raw-{_raw.Count}-{Guid.NewGuid():N}";
        _raw[marker] = rawJson;
        return JsonValue.Create(marker);
    }

    private string Serialize(JsonNode node)
    {
        var text = node.ToJsonString();
        foreach (var (marker, raw) in _raw)
        {
            text = text.Replace($"\"{marker}\"", raw, StringComparison.Ordinal);
        }

        return text;
    }

    private static void Pad(JsonNode root, Slot? slot, int bytes)
    {
        if (slot is not null)
        {
            Set(root, slot, JsonValue.Create(new string('x', bytes)));
        }
        else if (root is JsonObject o)
        {
            o["padding"] = new string('x', bytes);
        }
    }

    // ---- where values go in a body ------------------------------------------------------------------------------------

    /// <summary>A property of the body (at most three levels deep, the first element of arrays) as the document declares it.</summary>
    public sealed record Slot(IReadOnlyList<object> Parent, string Name, IOpenApiSchema Schema, bool Required)
    {
        public int Depth => Parent.Count(p => p is string);

        public string Path => string.Concat(Parent.Select(p => p is int i ? $"[{i}]" : $"{p}.")).Replace(".[", "[", StringComparison.Ordinal) + Name;

        public Slot Child(string name, IOpenApiSchema schema) => new([.. Parent, Name], name, schema, false);
    }

    private List<Slot>? _slots;

    private List<Slot> Slots() => _slots ??= _op.Body?.Schema is { } schema ? [.. SlotsOf(schema, [], 0)] : [];

    private static IEnumerable<Slot> SlotsOf(IOpenApiSchema schema, IReadOnlyList<object> parent, int depth)
    {
        var s = Schemas.Effective(schema);
        if (Schemas.IsArray(s) && !Schemas.IsObject(s) && s.Items is { } rootItems)
        {
            foreach (var slot in SlotsOf(rootItems, [.. parent, 0], depth + 1))
            {
                yield return slot;
            }

            yield break;
        }

        foreach (var (name, property, required) in Schemas.Properties(s))
        {
            yield return new Slot(parent, name, property, required);
            if (depth >= 2)
            {
                continue;
            }

            var p = Schemas.Effective(property);
            if (Schemas.IsObject(p))
            {
                foreach (var slot in SlotsOf(p, [.. parent, name], depth + 1))
                {
                    yield return slot;
                }
            }
            else if (Schemas.IsArray(p) && p.Items is { } items && Schemas.IsObject(Schemas.Effective(items)))
            {
                foreach (var slot in SlotsOf(items, [.. parent, name, 0], depth + 1))
                {
                    yield return slot;
                }
            }
        }
    }

    private static JsonNode? Container(JsonNode root, IReadOnlyList<object> parent)
    {
        var node = root;
        for (var i = 0; i < parent.Count; i++)
        {
            var next = i + 1 < parent.Count ? parent[i + 1] : null;
            switch (parent[i])
            {
                case string key when node is JsonObject o:
                    if (o[key] is not (JsonObject or JsonArray))
                    {
                        o[key] = next is int ? new JsonArray(new JsonObject()) : new JsonObject();
                    }

                    node = o[key]!;
                    break;
                case int when node is JsonArray a:
                    if (a.Count == 0 || a[0] is not (JsonObject or JsonArray))
                    {
                        a.Clear();
                        a.Add(next is int ? new JsonArray() : new JsonObject());
                    }

                    node = a[0]!;
                    break;
                default:
                    return null;
            }
        }

        return node;
    }

    private static void Set(JsonNode root, Slot slot, JsonNode? value)
    {
        if (Container(root, slot.Parent) is JsonObject o)
        {
            o[slot.Name] = value;
        }
    }

    private static void Remove(JsonNode root, Slot slot)
    {
        if (Container(root, slot.Parent) is JsonObject o)
        {
            o.Remove(slot.Name);
        }
    }

    private static JsonNode? Get(JsonNode root, Slot slot)
    {
        JsonNode? node = root;
        foreach (var part in slot.Parent)
        {
            node = part switch
            {
                string key when node is JsonObject o => o[key],
                int when node is JsonArray { Count: > 0 } a => a[0],
                _ => null,
            };
        }

        return node is JsonObject parent ? parent[slot.Name] : null;
    }
}

/// <summary>The seeded random numbers: one generator per operation and attack class, so adding an operation does not change the others.</summary>
public static class Seeds
{
    public const string Variable = "MEP_NEGATIVE_SEED";

    /// <summary>The seed of this run: the environment's, or a new one (printed, so that a failing run can be replayed).</summary>
    public static int OfThisRun() =>
        int.TryParse(Environment.GetEnvironmentVariable(Variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : Random.Shared.Next(1, 1_000_000);

    /// <summary>FNV-1a over the parts: stable across processes and machines, unlike string.GetHashCode.</summary>
    public static int For(int seed, params string[] parts)
    {
        var hash = 2166136261u ^ (uint)seed;
        foreach (var c in string.Join('\u001f', parts))
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash & 0x7fffffff);
    }

    public static IEnumerable<T> Sample<T>(IReadOnlyList<T> items, int count, Random random)
    {
        var indexes = Enumerable.Range(0, items.Count).ToArray();
        random.Shuffle(indexes);
        return indexes.Take(count).Order().Select(i => items[i]);
    }
}
