using System.Net;
using System.Text.Json;

namespace Mep.OutsideIn.Tests.Console;

/// <summary>Tickets, devices and loans at a school, arranged through the APIs by staff (the service desk, a planner), with unique names.</summary>
internal static class SchoolContactArrange
{
    public static string Unique(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..(prefix.Length + 10)].ToUpperInvariant();

    /// <summary>A ticket the service desk opens for a school that called; its id and number.</summary>
    public static async Task<(Guid Id, long Number)> TicketAsync(HttpClient agent, Guid schoolId, string title)
    {
        var ticket = await CreatedEventuallyAsync(agent, "/api/support/tickets", new
        {
            schoolId, reporterName = "Herr Brandt", reporterEmail = "it@schule.example", category = "mail", title,
            description = "Das Postfach nimmt keine Nachrichten mehr an.", impact = "medium", urgency = "medium",
        }, "Support knows the school and opens a ticket for it");
        return (ticket.GetProperty("id").GetGuid(), ticket.GetProperty("number").GetInt64());
    }

    /// <summary>A device registered for a school by a planner: its serial.</summary>
    public static async Task<string> DeviceAsync(HttpClient planner, Guid schoolId, string ownership = "teacher", string fundingSource = "digitalPaktBase")
    {
        var serial = Unique("KONS");
        // Staff name the school in the address; the device's own fields are the body.
        await CreatedEventuallyAsync(planner, $"/api/assets/devices?schoolId={schoolId}", new
        {
            serialNumber = serial, kind = "tablet", manufacturer = "Apple", model = "iPad 10.9 (10th gen)", ownership,
            purchaseDate = "2025-08-01", purchasePrice = 449.00m, fundingSource, usefulLifeMonths = 60,
        }, "Assets knows the school and registers a device for it");
        return serial;
    }

    /// <summary>A loan tablet lent to a pupil, due back a week ago: overdue today.</summary>
    public static async Task<(string Serial, string Borrower)> OverdueLoanAsync(HttpClient planner, Guid schoolId)
    {
        var serial = await DeviceAsync(planner, schoolId, ownership: "loan", fundingSource: "immediateEquipmentLoan");
        var borrower = "P-" + Unique("")[..6];
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).DateTime);
        await CreatedEventuallyAsync(planner, "/api/assets/loans/batch", new
        {
            schoolId, lentOn = today.AddDays(-60), dueBack = today.AddDays(-7), className = "7a",
            agreement = new { template = "Leihvertrag Sofortausstattung", version = "2", signedOn = today.AddDays(-61) },
            accessories = new[] { "charger" }, condition = "good",
            loans = new[] { new { serialNumber = serial, borrowerKind = "pupil", borrowerReference = borrower, guardianReference = "G-4711" } },
        }, "Assets lends the device");
        return (serial, borrower);
    }

    /// <summary>The ticket as Support has it now, for the staff who can read it.</summary>
    public static Task<JsonElement> TicketNowAsync(HttpClient staff, Guid ticketId) =>
        staff.GetFromJsonAsync<JsonElement>($"/api/support/tickets/{ticketId}");

    private static async Task<JsonElement> CreatedEventuallyAsync(HttpClient client, string path, object body, string what)
    {
        JsonElement created = default;
        string last = string.Empty;
        await Eventually.AssertAsync(async () =>
        {
            using var response = await client.PostAsJsonAsync(path, body);
            last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
            {
                // Until the school (or room) has reached the service, it is unknown there: 422 or 404; anything else is a mistake here.
                Assert.True(response.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.NotFound, $"{what}: POST {path} answered {last}");
                return false;
            }

            created = await response.Content.ReadFromJsonAsync<JsonElement>();
            return true;
        }, what, TimeSpan.FromSeconds(60));
        return created;
    }
}
