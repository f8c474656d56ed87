namespace Mep.Support.Tests;

/// <summary>A serial is the same serial in every service: Support compares it in the one form Assets stores it in.</summary>
public sealed class DeviceSerialTests(SupportApi api) : IClassFixture<SupportApi>
{
    [Fact]
    public async Task A_report_with_spaces_and_lower_case_in_the_serial_finds_the_device_stored_without_them()
    {
        var school = await api.SchoolAsync(devices: new TestDevice("DMPX1234ABCD"));

        var ticket = await SupportApi.OpenAsync(api.ClientFor(school),
            SupportApi.Report("device-hardware", fields: ("deviceSerial", " dmpx 1234ABCD ")));

        Assert.Equal(school.Devices["DMPX1234ABCD"], ticket.GetProperty("deviceId").GetGuid());
        Assert.Equal("DMPX1234ABCD", ticket.GetProperty("deviceSerial").GetString());
    }
}
