using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mep.ServiceDefaults.Auth;
using Microsoft.OpenApi;

namespace Mep.OutsideIn.Tests;

/// <summary>What one request got: the answer, or why there was none.</summary>
public sealed record Outcome(AttackRequest Request, Caller Caller, int? Status, string? MediaType, string Body, bool BodyIsJsonObject,
    int? ProblemStatus, IReadOnlyList<string> ServerLog, string? Failure, TimeSpan Took)
{
    public bool Succeeded => Failure is null && Status is >= 200 and < 300;

    public string? ETag { get; init; }

    /// <summary>Why this answer breaks the platform's promise (null when it keeps it): no 5xx, and every 4xx an RFC 9457 problem document.</summary>
    public string? Offence => Failure ?? Status switch
    {
        >= 500 => $"answered {Status}",
        >= 400 when MediaType != "application/problem+json" => $"a {Status} that is {MediaType ?? "without a Content-Type"}, not application/problem+json",
        >= 400 when !BodyIsJsonObject => $"a {Status} problem document that is not a JSON object",
        >= 400 when ProblemStatus is { } status && status != Status => $"a {Status} whose problem document says status {status}",
        >= 400 when Body.Contains("   at ", StringComparison.Ordinal) || Body.Contains("Exception", StringComparison.Ordinal) =>
            $"a {Status} that shows exception text",
        >= 200 and < 300 when Request.MustBeRefused => $"accepted with {Status} what it must refuse",
        _ => null,
    };

    /// <summary>The operation, the request sent and the answer, as the next engineer needs them to reproduce and fix it.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"- {Request.Operation.Name} as {Caller.Name}: {Request.What}\n");
        text.Append(CultureInfo.InvariantCulture, $"    sent: {Request.Method} {Printable(Request.PathAndQuery, 300)}");
        foreach (var (name, value) in Request.Headers)
        {
            text.Append(CultureInfo.InvariantCulture, $" [{name}: {Printable(value, 80)}]");
        }

        if (Request.Body is not null)
        {
            text.Append(CultureInfo.InvariantCulture,
                $" [{Request.ContentType ?? "no Content-Type"}, {Request.Body.Length:N0} bytes: {Printable(Encoding.UTF8.GetString(Request.Body), 300)}]");
        }

        text.Append(CultureInfo.InvariantCulture,
            $"\n    got:  {Offence ?? "ok"}; {Status?.ToString(CultureInfo.InvariantCulture) ?? "-"} {MediaType} after {Took.TotalMilliseconds:0} ms: {Printable(Body, 500)}\n");
        foreach (var line in ServerLog.Take(3))
        {
            text.Append(CultureInfo.InvariantCulture, $"    server log: {line}\n");
        }

        return text.ToString();
    }

    /// <summary>Control characters shown as \uXXXX, long texts cut: a report must print, and stay readable.</summary>
    public static string Printable(string text, int max)
    {
        var shown = new StringBuilder();
        foreach (var c in text.Length > max ? text[..max] : text)
        {
            shown.Append(char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c);
        }

        return text.Length > max ? $"{shown}... ({text.Length:N0} characters)" : shown.ToString();
    }
}

/// <summary>Everything the suite did to one service, and what came back.</summary>
public sealed class ServiceCampaign(string service)
{
    public string Service { get; } = service;
    public List<ApiOperation> Operations { get; } = [];
    public List<string> Notes { get; } = [];
    public List<Outcome> Preparation { get; } = [];
    public List<Outcome> Attacks { get; } = [];
    public List<Outcome> Reads { get; } = [];
    public List<Baseline> ReadBaselines { get; } = [];

    /// <summary>The unchanged request of each operation with a body, and what it got.</summary>
    public Dictionary<ApiOperation, Outcome> OrdinaryCalls { get; } = [];
    public TimeSpan AttackTime { get; set; }
    public TimeSpan ReadTime { get; set; }

    public int Requests => Preparation.Count + Attacks.Count + Reads.Count;
}

/// <summary>
/// The suite's run against one service: read its document, find who may call each operation and with what, then send every
/// operation its attacks; afterwards (once every service was attacked) the ordinary reads, 100 in a row.
/// </summary>
public sealed class Campaign(IServiceHost host, HttpClient edge, World world, int seed)
{
    /// <summary>An answer slower than this is a hang: nothing the suite sends needs more.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Requests in flight at once per service: some concurrency, as real clients bring, without drowning two cores.</summary>
    private const int Concurrency = 3;

    public const int ReadsInARow = 100;

    private readonly HttpClient _client = edge;
    private readonly ServiceCampaign _result = new(host.Name);
    private readonly Known _known = new(world.Ids);
    private readonly Dictionary<ApiOperation, string> _versionedAt = [];

    private string PathPrefix => $"/api/{host.Name.ToLowerInvariant()}";

    public ServiceCampaign Result => _result;

    /// <summary>Staff roles in the order the suite tries them; admin may do nearly everything, so it usually settles the question at once.</summary>
    private static readonly string[] StaffRoles =
        [PlatformRoles.Admin, PlatformRoles.Planner, PlatformRoles.Agent, PlatformRoles.Specialist, PlatformRoles.Finance, PlatformRoles.Vendor];

    public async Task AttackAsync(IReadOnlyList<ApiOperation> operations)
    {
        var clock = Stopwatch.StartNew();
        _result.Operations.AddRange(operations);
        var allowed = new List<(ApiOperation Operation, IReadOnlyList<Caller> Callers)>();
        foreach (var operation in operations)
        {
            var callers = await CallersAsync(operation);
            if (callers.Count == 0)
            {
                _result.Notes.Add($"{operation.Name}: no caller the suite has may call it; not attacked");
                continue;
            }

            allowed.Add((operation, callers));
        }

        foreach (var body in world.GoodBodies.Where(b => b.Key.Contains(PathPrefix, StringComparison.Ordinal)).Select(b => b.Value))
        {
            _known.Learn(body);
        }

        // Reads first: what they show (codes, statuses, names) makes the bodies of the writes.
        var plans = new List<(ApiOperation Operation, IReadOnlyList<Caller> Callers, Baseline Baseline)>();
        var lists = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (operation, callers) in allowed.OrderBy(a => a.Operation.Method == HttpMethod.Get ? 0 : 1))
        {
            plans.Add((operation, callers, await BaselineAsync(operation, callers[0], operations, lists)));
        }

        foreach (var feed in await FeedsAsync(plans))
        {
            // A feed checks its readers itself (each entity set its own roles), so it is asked who may read it like any operation.
            _result.Operations.Add(feed);
            if (await CallersAsync(feed) is { Count: > 0 } callers)
            {
                plans.Add((feed, callers, await BaselineAsync(feed, callers[0], operations, lists)));
            }
            else
            {
                _result.Notes.Add($"{feed.Name}: no caller the suite has may read it; not attacked");
            }
        }

        var requests = new List<(AttackRequest Request, Caller Caller)>();
        foreach (var (operation, callers, baseline) in plans)
        {
            var plan = new AttackPlan(baseline, _known, seed);
            var index = 0;
            foreach (var attack in Enum.GetValues<AttackClass>())
            {
                foreach (var request in plan.For(attack))
                {
                    // Where staff and a school may both call, they take turns: both ways in are attacked.
                    requests.Add((request, callers[index++ % callers.Count]));
                }
            }
        }

        using var gate = new SemaphoreSlim(Concurrency);
        var outcomes = await Task.WhenAll(requests.Select(async r =>
        {
            await gate.WaitAsync();
            try
            {
                return await SendAsync(await WithVersionAsync(r.Request, r.Caller), r.Caller);
            }
            finally
            {
                gate.Release();
            }
        }));
        _result.Attacks.AddRange(outcomes);
        _result.AttackTime = clock.Elapsed;
    }

    /// <summary>
    /// A full replacement needs If-Match (428 without): the attack carries the ETag a GET of the resource shows just before it, so
    /// that it is judged on its body, as a careful client's request would be.
    /// </summary>
    private async Task<AttackRequest> WithVersionAsync(AttackRequest request, Caller caller)
    {
        if (!_versionedAt.TryGetValue(request.Operation, out var url))
        {
            return request;
        }

        var read = await SendAsync(new AttackRequest(request.Operation, null, "reading the version (ETag)", HttpMethod.Get, url, null, null), caller);
        lock (_result.Preparation)
        {
            _result.Preparation.Add(read);
        }

        // An attack on the If-Match header itself keeps its bad value alone: with the real version beside it the request would be
        // valid (and a DELETE would remove what the ordinary reads after the attacks look for).
        var attacksIfMatch = request.Headers.Any(header => string.Equals(header.Key, "If-Match", StringComparison.OrdinalIgnoreCase));
        return read.ETag is { } etag && !attacksIfMatch ? request with { Headers = [.. request.Headers, new("If-Match", etag)] } : request;
    }

    /// <summary>The ordinary reads that answered 2xx before the attacks, in turn, 100 in a row: each must succeed again.</summary>
    public async Task ReadAsync()
    {
        var clock = Stopwatch.StartNew();
        var reads = _result.ReadBaselines;
        if (reads.Count == 0)
        {
            _result.Notes.Add("no ordinary read answered 2xx before the attacks");
            return;
        }

        for (var i = 0; i < ReadsInARow; i++)
        {
            var baseline = reads[i % reads.Count];
            var request = new AttackRequest(baseline.Operation, null, $"ordinary read {i + 1} of {ReadsInARow}", HttpMethod.Get, baseline.Url(), null, null);
            _result.Reads.Add(await SendAsync(request, ReadCaller(baseline.Operation)));
        }

        _result.ReadTime = clock.Elapsed;
    }

    private readonly Dictionary<ApiOperation, Caller> _readCallers = [];

    private Caller ReadCaller(ApiOperation operation) => _readCallers[operation];

    /// <summary>
    /// Who may call the operation: the first staff role that may, and a school key if a school may. Asked with an unknown query
    /// parameter, which authorization answers (401/403) before the parameter check does (400), so no handler runs.
    /// </summary>
    private async Task<IReadOnlyList<Caller>> CallersAsync(ApiOperation operation)
    {
        var callers = new List<Caller>();
        var probe = new Baseline(operation, Placeholders(operation), [new("mepProbe", "1")], null, null);
        foreach (var role in StaffRoles)
        {
            if (await MayCallAsync(probe, Caller.Staff(role)))
            {
                callers.Add(Caller.Staff(role));
                break;
            }
        }

        if (await MayCallAsync(probe, Caller.School(world.SchoolKey)))
        {
            callers.Add(Caller.School(world.SchoolKey));
        }

        return callers;
    }

    private async Task<bool> MayCallAsync(Baseline probe, Caller caller)
    {
        var outcome = await SendAsync(new AttackRequest(probe.Operation, null, $"who may call it: {caller.Name}", probe.Operation.Method, probe.Url(), null, null), caller);
        _result.Preparation.Add(outcome);
        return outcome.Status is not (401 or 403);
    }

    /// <summary>Path values before the real ones are known: identifiers the suite made, else plain values of the declared type.</summary>
    private Dictionary<string, string> Placeholders(ApiOperation operation) => operation.InPath.ToDictionary(p => p.Name, p =>
        world.Ids.TryGetValue(p.Name, out var known) ? Uri.EscapeDataString(known)
        : p.Schema is { } s ? Uri.EscapeDataString(ValueText(Schemas.Valid(s, p.Name, _known))) : "x", StringComparer.Ordinal);

    /// <summary>
    /// The operation called the ordinary way: path values that name existing things (the first item of the collection the path
    /// lies in), the query parameters it requires, and a body it accepts: one the platform accepted while the city was arranged,
    /// else what a GET of the same path shows (the fields the request declares), else one made from the document.
    /// </summary>
    private async Task<Baseline> BaselineAsync(ApiOperation operation, Caller caller, IReadOnlyList<ApiOperation> all, Dictionary<string, JsonNode?> lists)
    {
        var values = Placeholders(operation);
        foreach (var parameter in operation.InPath)
        {
            if (parameter.Name == "keyId")
            {
                continue;
            }

            if (await FromCollectionAsync(operation, parameter.Name, values, caller, all, lists) is { } found)
            {
                values[parameter.Name] = Uri.EscapeDataString(found);
            }
        }

        var query = operation.InQuery.Where(p => p.Required)
            .Select(p => new KeyValuePair<string, string>(p.Name, Uri.EscapeDataString(ValueText(Schemas.Valid(p.Schema, p.Name, _known))))).ToList();
        var template = $"{operation.Method} {operation.Path}";
        JsonNode? json = null;
        string? text = null;
        if (operation.Body is { } body)
        {
            if (!body.IsJson)
            {
                text = world.GoodTexts.GetValueOrDefault(template) ?? "x\n";
            }
            else if (world.GoodBodies.TryGetValue(template, out var good))
            {
                json = good.DeepClone();
            }
            else
            {
                var shown = all.FirstOrDefault(o => o.Method == HttpMethod.Get && o.Path == operation.Path) is { } get
                    ? await GetJsonAsync(get, new Baseline(get, values, [], null, null).Url(), caller)
                    : null;
                json = Project(shown, body.Schema) ?? Schemas.Valid(body.Schema, "body", _known) ?? new JsonObject();
            }
        }

        var baseline = new Baseline(operation, values, query, json, text);
        if (operation.Method != HttpMethod.Get && operation.Method != HttpMethod.Post
            && all.FirstOrDefault(o => o.Method == HttpMethod.Get && o.Path == operation.Path) is { } versioned)
        {
            _versionedAt[operation] = new Baseline(versioned, values, [], null, null).Url();
        }

        if (operation.Body is not null)
        {
            // The unchanged request, once: whether the platform accepts it says how deep the attacks on it can reach.
            var plain = new AttackRequest(operation, null, "the ordinary call", operation.Method, baseline.Url(),
                json is not null ? System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()) : System.Text.Encoding.UTF8.GetBytes(text ?? string.Empty), operation.Body.MediaType);
            var outcome = await SendAsync(await WithVersionAsync(plain, caller), caller);
            _result.Preparation.Add(outcome);
            _result.OrdinaryCalls[operation] = outcome;
        }

        if (operation.Method == HttpMethod.Get)
        {
            var readCaller = caller;
            var outcome = await SendAsync(new AttackRequest(operation, null, "ordinary read before the attacks", HttpMethod.Get, baseline.Url(), null, null), readCaller,
                keepBody: true);
            _result.Preparation.Add(outcome);
            if (outcome.Succeeded)
            {
                _known.Learn(Parsed(outcome));
                _result.ReadBaselines.Add(baseline);
                _readCallers[operation] = readCaller;
            }
        }

        return baseline;
    }

    /// <summary>
    /// The OData entity sets the service document (an operation of the document) names, as operations of their own: the feeds are
    /// reads like any other, and their query options are the richest query language a caller meets.
    /// </summary>
    private async Task<List<ApiOperation>> FeedsAsync(List<(ApiOperation Operation, IReadOnlyList<Caller> Callers, Baseline Baseline)> plans)
    {
        var feeds = new List<ApiOperation>();
        foreach (var (operation, callers, baseline) in plans.Where(p => p.Operation.Method == HttpMethod.Get && p.Operation.Path.EndsWith("/odata", StringComparison.Ordinal)))
        {
            if (await GetJsonAsync(operation, baseline.Url(), callers[0]) is not JsonObject { } service || service["value"] is not JsonArray sets)
            {
                continue;
            }

            foreach (var set in sets.OfType<JsonObject>())
            {
                if (set["url"]?.GetValue<string>() is not { Length: > 0 } url)
                {
                    continue;
                }

                var path = $"{operation.Path}/{url}";
                JsonNode? rows = null;
                foreach (var caller in StaffRoles.Select(Caller.Staff).Append(Caller.School(world.SchoolKey)))
                {
                    if ((rows = await GetJsonAsync(operation, path, caller)) is not null)
                    {
                        break;
                    }
                }

                var properties = (rows?["value"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault()?.Select(p => p.Key).Where(k => !k.StartsWith('@')).ToList() ?? [];
                feeds.Add(new ApiOperation(operation.Service, HttpMethod.Get, path, $"Feed{url}", [], null) { FeedProperties = properties });
            }
        }

        return feeds;
    }

    /// <summary>A value for {name}: the first item of the nearest collection above it (GET /tickets for /tickets/{id}) that has one.</summary>
    private async Task<string?> FromCollectionAsync(ApiOperation operation, string name, Dictionary<string, string> values, Caller caller,
        IReadOnlyList<ApiOperation> all, Dictionary<string, JsonNode?> lists)
    {
        var segments = operation.Path.Split('/');
        var at = Array.IndexOf(segments, "{" + name + "}");
        for (var end = at; end > 2; end--)
        {
            var collection = string.Join('/', segments[..end]);
            if (all.FirstOrDefault(o => o.Method == HttpMethod.Get && o.Path == collection) is not { } list)
            {
                continue;
            }

            var url = new Baseline(list, values, [], null, null).Url();
            if (!lists.TryGetValue(url, out var json))
            {
                json = lists[url] = await GetJsonAsync(list, url, caller);
            }

            var items = json switch
            {
                JsonArray array => array,
                JsonObject o when o["items"] is JsonArray array => array,
                JsonObject o => o.Select(p => p.Value).OfType<JsonArray>().FirstOrDefault(),
                _ => null,
            };
            var nearest = end == at;
            foreach (var item in items?.OfType<JsonObject>() ?? [])
            {
                var value = item[name] ?? (nearest && (name == "id" || name.EndsWith("Id", StringComparison.Ordinal)) ? item["id"] : null)
                    ?? (nearest ? item["code"] : null);
                if (value is JsonValue && ValueText(value) is { Length: > 0 } found)
                {
                    return found;
                }
            }
        }

        return null;
    }

    private async Task<JsonNode?> GetJsonAsync(ApiOperation operation, string url, Caller caller)
    {
        var outcome = await SendAsync(new AttackRequest(operation, null, "finding what exists", HttpMethod.Get, url, null, null), caller, keepBody: true);
        _result.Preparation.Add(outcome);
        var json = Parsed(outcome);
        _known.Learn(json);
        return json;
    }

    private static JsonNode? Parsed(Outcome outcome)
    {
        try
        {
            return outcome.Succeeded && outcome.MediaType?.Contains("json", StringComparison.Ordinal) == true ? JsonNode.Parse(outcome.Body) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>What a GET shows, cut to the fields the request declares (read-only ones left out), the rest made from the document.</summary>
    private JsonObject? Project(JsonNode? shown, IOpenApiSchema? schema)
    {
        if (shown is not JsonObject source || schema is null || !Schemas.IsObject(Schemas.Effective(schema)))
        {
            return null;
        }

        var result = new JsonObject();
        var generated = Schemas.Valid(schema, "body", _known) as JsonObject ?? [];
        foreach (var (name, property, _) in Schemas.Properties(schema))
        {
            if (Schemas.Effective(property).ReadOnly)
            {
                continue;
            }

            var value = source.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value ?? generated[name];
            if (value is not null || source.Any(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)))
            {
                result[name] = value?.DeepClone();
            }
        }

        return result;
    }

    private static string ValueText(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => node.ToJsonString(),
    };

    private async Task<Outcome> SendAsync(AttackRequest request, Caller caller, bool keepBody = false)
    {
        using var message = new HttpRequestMessage(request.Method, request.PathAndQuery);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
            {
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
            }
        }

        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        caller.Sign(message);
        using var patience = new CancellationTokenSource(Patience);
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await _client.SendAsync(message, patience.Token);
            var body = await response.Content.ReadAsStringAsync(patience.Token);
            var (isObject, traceId, problemStatus) = Inspect(body);
            return new Outcome(request, caller, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType,
                keepBody ? body : Outcome.Printable(body, 2000), isObject, problemStatus, host.Errors.For(traceId), null, clock.Elapsed)
            {
                ETag = response.Headers.ETag?.ToString(),
            };
        }
        catch (OperationCanceledException) when (patience.IsCancellationRequested)
        {
            return new Outcome(request, caller, null, null, string.Empty, false, null, [], $"no answer within {Patience.TotalSeconds:0} s", clock.Elapsed);
        }
        catch (HttpRequestException exception)
        {
            // A connection reset or closed before an answer: what a client sees of a crash, or of a refusal that cut the upload off.
            return new Outcome(request, caller, null, null, string.Empty, false, null, [],
                $"no answer, the connection failed: {Outcome.Printable(exception.InnerException?.Message ?? exception.Message, 300)}", clock.Elapsed);
        }
    }

    private static (bool IsObject, string? TraceId, int? Status) Inspect(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (false, null, null);
            }

            var traceId = root.TryGetProperty("traceId", out var trace) && trace.ValueKind == JsonValueKind.String ? trace.GetString() : null;
            var status = root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var n) ? n : (int?)null;
            return (true, traceId, status);
        }
        catch (JsonException)
        {
            return (false, null, null);
        }
    }
}
