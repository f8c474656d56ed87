using System.Globalization;
using System.Text;

namespace Mep.Assets.Tests;

/// <summary>A school's inventory as German Excel opens it (CSV and workbook), and a file saved from it that imports again.</summary>
public sealed class InventoryExportTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    private const string Header = "Seriennummer;Geräteart;Hersteller;Modell;Raum-ID;Gebäude;Raum;Status;MDM-Status;Im MDM seit;Kaufdatum;Kaufpreis;Gewährleistung bis;"
        + "Finanzierung;Nutzungsdauer (Monate);Eigentum;Schüler-Referenz;Zuschuss;Familien-Referenz;Geschwisterkind Nr.;Monatsrate;Laufzeit (Monate);"
        + "Vertragspartner;Tafelsystem-ID;Tafelsystem-Bauteil;Schulnummer;Schule";

    [Fact]
    public async Task The_csv_has_german_headers_values_days_and_decimal_commas_under_a_german_file_name()
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);
        (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([AssetsApi.Tablet("DE-CSV-1", "parentFinancedPupil")]))).EnsureSuccessStatusCode();

        var export = await client.GetAsync($"/api/assets/schools/{school.Id}/inventory.csv");

        var lines = await ExportFiles.CsvLinesAsync(export);
        Assert.Equal([Header, "DE-CSV-1;Tablet;Apple;iPad 10.2 (9th gen);;;;im Einsatz;nicht im MDM;;01.08.2020;329,00;;Elternfinanziert;60;"
            + $"Schülergerät (elternfinanziert);P-DE-CSV-1;kein Zuschuss;;;10,90;36;GfdB;;;{school.Number};GY Testschule {school.Number}"], lines);
        Assert.Equal(($"Geräteinventar_{school.Number}.csv", $"Geraeteinventar_{school.Number}.csv"), ExportFiles.FileName(export));
    }

    [Fact]
    public async Task A_device_in_a_room_names_its_building_and_room_as_people_on_site_do()
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);
        (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([AssetsApi.Tablet("DE-ROOM-1", "teacher", ("roomId", school.Rooms[1]))])))
            .EnsureSuccessStatusCode();

        var row = Assert.Single(await ExportFiles.WorkbookAsync(await client.GetAsync($"/api/assets/schools/{school.Id}/inventory.xlsx"))).Row("DE-ROOM-1");

        Assert.Equal((school.Rooms[1].ToString(), "Hauptgebäude", "H 1.02"), (row["Raum-ID"].Text, row["Gebäude"].Text, row["Raum"].Text));
    }

    [Fact]
    public async Task The_workbook_holds_the_devices_of_the_json_list_as_text_number_and_date_cells()
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);
        (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([
            AssetsApi.Tablet("DE-XLSX-1", "parentFinancedPupil", ("contractProvider", "+49 511 168-0")),
            AssetsApi.Tablet("DE-XLSX-2", "teacher", ("purchasePrice", 1234.56m), ("purchaseDate", "2021-02-28")),
        ]))).EnsureSuccessStatusCode();

        var json = await (await client.GetAsync($"/api/assets/devices?schoolId={school.Id}&sort=serialNumber")).ReadJsonAsync();
        var workbook = await ExportFiles.WorkbookAsync(await client.GetAsync($"/api/assets/schools/{school.Id}/inventory.xlsx"));

        var sheet = Assert.Single(workbook);
        Assert.Equal(("Geräte", "A2"), (sheet.Name, sheet.FrozenAt));
        Assert.Equal(Header.Split(';'), sheet.Header);
        var devices = json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, devices.Count);
        foreach (var device in devices)
        {
            var row = sheet.Row(device.GetProperty("serialNumber").GetString()!);
            Assert.Equal((device.GetProperty("purchasePrice").GetDecimal(), DateOnly.Parse(device.GetProperty("purchaseDate").GetString()!, CultureInfo.InvariantCulture),
                    (decimal)device.GetProperty("usefulLifeMonths").GetInt32(), "Tablet"),
                (row["Kaufpreis"].Number!.Value, row["Kaufdatum"].Day!.Value, row["Nutzungsdauer (Monate)"].Number!.Value, row["Geräteart"].Text));
        }

        var provider = sheet.Row("DE-XLSX-1")["Vertragspartner"];
        Assert.Equal(("+49 511 168-0", false), (provider.Text, provider.IsFormula));
    }

    [Fact]
    public async Task A_file_saved_by_german_excel_with_german_headers_values_and_days_registers_its_devices()
    {
        var school = await api.SchoolAsync();
        var saved = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(
            "Seriennummer;Geräteart;Hersteller;Modell;Eigentum;Kaufdatum;Kaufpreis;Status\r\n"
            + "DE-IMP-1;Tablet;Apple;'=iPad;Lehrkraft;1.8.2020;329,5;geliefert\r\n")).ToArray();

        var response = await api.ClientFor(school).PostAsync("/api/assets/devices/batch", new ByteArrayContent(saved)
        {
            Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv") },
        });

        Assert.Equal(1, (await response.ReadJsonAsync()).GetProperty("created").GetInt32());
        Assert.Equal("Teacher 2020-08-01 329.50 Delivered =iPad", await api.Database.ScalarAsync<string>(
            "SELECT ownership || ' ' || purchase_date || ' ' || purchase_price || ' ' || status || ' ' || model FROM devices WHERE serial_number = 'DE-IMP-1'"));
    }
}
