using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Mep.Bench.Assets;

/// <summary>One device of a batch as a school's inventory software sends it (the service's DeviceRow, camelCase).</summary>
internal sealed record DeviceRowBody(
    string SerialNumber,
    string Kind,
    string Manufacturer,
    string Model,
    string? Status,
    string? MdmState,
    string? MdmEnrolledOn,
    string? PurchaseDate,
    decimal? PurchasePrice,
    string? WarrantyEnd,
    string? FundingSource,
    int? UsefulLifeMonths,
    string? Ownership,
    string? PupilReference,
    string? SubsidyCategory,
    string? FamilyReference,
    int? SiblingOrder,
    decimal? ContractMonthlyRate,
    int? ContractMonths,
    string? ContractProvider)
{
    public static DeviceRowBody From(BenchDevice d) => new(d.SerialNumber, ApiNames.Of(d.Kind), d.Manufacturer, d.Model, ApiNames.Of(d.Status),
        ApiNames.Of(d.MdmState), Day(d.MdmEnrolledOn), Day(d.PurchaseDate), d.PurchasePrice, Day(d.WarrantyEnd), ApiNames.Of(d.FundingSource),
        d.UsefulLifeMonths, ApiNames.Of(d.Ownership), d.PupilReference, ApiNames.Of(d.SubsidyCategory), d.FamilyReference, d.SiblingOrder,
        d.ContractMonthlyRate, d.ContractMonths, d.ContractProvider);

    private static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

internal sealed record DeviceBatchBody(IReadOnlyList<DeviceRowBody> Devices);

/// <summary>An answer of the service: status, body, and the client-side round trip (request sent to body read).</summary>
internal sealed record Answer(HttpStatusCode Status, string Body, TimeSpan Elapsed)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    public JsonElement Json => JsonSerializer.Deserialize<JsonElement>(Body);

    /// <summary>For reports: the status and the start of the body (problem details name the cause).</summary>
    public string Describe() => $"{(int)Status} {Status}: {(Body.Length > 2_000 ? Body[..2_000] + " ..." : Body)}";
}

/// <summary>The Assets API over real HTTP, as a planner.</summary>
internal sealed class AssetsApi(Uri baseAddress, string token) : IDisposable
{
    private static readonly JsonSerializerOptions BodyJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _client = CreateClient(baseAddress, token);

    /// <summary>The request body of a batch, made before any clock runs: the client's serialisation is not the service's cost.</summary>
    public static byte[] BatchBody(IEnumerable<BenchDevice> devices) =>
        JsonSerializer.SerializeToUtf8Bytes(new DeviceBatchBody([.. devices.Select(DeviceRowBody.From)]), BodyJson);

    /// <summary>The batch with its last row changed, for requests the service must refuse only after it has read everything before it.</summary>
    public static byte[] WithLastRow(byte[] batchBody, Action<JsonObject> change)
    {
        var batch = JsonNode.Parse(batchBody)!.AsObject();
        change(batch["devices"]!.AsArray()[^1]!.AsObject());
        return JsonSerializer.SerializeToUtf8Bytes(batch, BodyJson);
    }

    public async Task<Answer> PostBatchAsync(Guid schoolId, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/assets/devices/batch?schoolId={schoolId}") { Content = content });
    }

    public Task<Answer> GetAsync(string pathAndQuery) => SendAsync(new HttpRequestMessage(HttpMethod.Get, pathAndQuery));

    /// <summary>A JSON body made before the clock runs, under a fresh Idempotency-Key (the loan calls are writes that clients retry).</summary>
    public async Task<Answer> PostJsonAsync(string path, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        return await SendAsync(request);
    }

    public static byte[] JsonBody(object body) => JsonSerializer.SerializeToUtf8Bytes(body, BodyJson);

    private async Task<Answer> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            var clock = Stopwatch.StartNew();
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            var body = await response.Content.ReadAsStringAsync();
            return new Answer(response.StatusCode, body, clock.Elapsed);
        }
    }

    private static HttpClient CreateClient(Uri baseAddress, string token)
    {
        // Loopback straight to Kestrel: no proxy from the environment in between.
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>The API's spelling of the bench's enum values (camelCase member names), for request bodies and query strings.</summary>
internal static class ApiNames
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    public static string? Of<TEnum>(TEnum? value) where TEnum : struct, Enum => value is { } v ? Of(v) : null;
}
