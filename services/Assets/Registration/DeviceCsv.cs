using System.Globalization;
using Mep.Assets.Devices;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Csv;

namespace Mep.Assets.Registration;

/// <summary>
/// The CSV form of <see cref="DeviceRow"/>, for import and export: a header line with the JSON field names
/// (any order; serialNumber, kind, manufacturer and model required), comma or semicolon as delimiter (German
/// Excel writes semicolons, and then decimal commas), RFC 4180 quoting, UTF-8. An export names the school of every row
/// (schoolNumber, schoolName) for the people who read it; an import checks the number against the school it registers for.
/// </summary>
public static class DeviceCsv
{
    public const string MediaType = "text/csv";

    /// <summary>The columns, in the order an export writes them.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "serialNumber", "kind", "manufacturer", "model", "roomId", "status", "mdmState", "mdmEnrolledOn", "purchaseDate", "purchasePrice",
        "warrantyEnd", "fundingSource", "usefulLifeMonths", "ownership", "pupilReference", "subsidyCategory", "familyReference", "siblingOrder",
        "contractMonthlyRate", "contractMonths", "contractProvider", "boardSystemId", "componentKind", SchoolNumberColumn, SchoolNameColumn,
    ];

    private const string SchoolNumberColumn = "schoolNumber";

    /// <summary>Written for people; read back without a check: a school renamed since the export is still the same school.</summary>
    private const string SchoolNameColumn = "schoolName";

    private static readonly string[] RequiredColumns = ["serialNumber", "kind", "manufacturer", "model"];

    /// <summary>
    /// Reads every data row; a value of the wrong type becomes a row error, a broken file a <see cref="CsvFormatException"/>. The school
    /// number each row names (null where the cell is blank or the column absent), for <see cref="ForeignRows"/>.
    /// </summary>
    public static (List<DeviceRow> Rows, List<RowError> Errors, IReadOnlyList<string?> SchoolNumbers) Read(ReadOnlyMemory<byte> body, int maxRows)
    {
        var table = CsvTable.Read(body, Columns, RequiredColumns, maxRows, "devices");
        var errors = new List<RowError>();
        var rows = table.Rows.Select((record, i) => ReadRow(table, record, i + 1, errors)).ToList();
        return (rows, errors, [.. table.Rows.Select(record => table.Text(record, SchoolNumberColumn))]);
    }

    /// <summary>The rows that name another school than the one they are registered for: a file exported for one school, sent for another.</summary>
    public static IEnumerable<RowError> ForeignRows(IReadOnlyList<string?> schoolNumbers, string schoolNumber) =>
        schoolNumbers.Select((number, i) => (Number: number, Row: i + 1)).Where(r => r.Number is not null && r.Number != schoolNumber)
            .Select(r => new RowError(r.Row, SchoolNumberColumn,
                $"The row names school {Shorten(r.Number!)}; these devices are registered for school {schoolNumber}."));

    private static DeviceRow ReadRow(CsvTable table, CsvRecord record, int number, List<RowError> errors)
    {
        string? Text(string column) => table.Text(record, column);

        Guid? Id(string column)
        {
            var text = Text(column);
            if (text is null)
            {
                return null;
            }

            if (Guid.TryParse(text, out var id))
            {
                return id;
            }

            errors.Add(new RowError(number, column, $"\"{Shorten(text)}\" is not an id (a UUID)."));
            return null;
        }

        int? Whole(string column)
        {
            var text = Text(column);
            if (text is null)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            errors.Add(new RowError(number, column, $"\"{Shorten(text)}\" is not a whole number."));
            return null;
        }

        decimal? Amount(string column)
        {
            var text = Text(column);
            if (text is null)
            {
                return null;
            }

            // With semicolons as delimiter the file comes from a German spreadsheet: 10,90 means 10.90.
            var normalised = table.DecimalComma && !text.Contains('.', StringComparison.Ordinal) ? text.Replace(',', '.') : text;
            if (decimal.TryParse(normalised, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            errors.Add(new RowError(number, column, $"\"{Shorten(text)}\" is not an amount in EUR (e.g. 10.90)."));
            return null;
        }

        return new DeviceRow(
            Text("serialNumber"), Text("kind"), Text("manufacturer"), Text("model"), Id("roomId"), Text("status"), Text("mdmState"),
            Text("mdmEnrolledOn"), Text("purchaseDate"), Amount("purchasePrice"), Text("warrantyEnd"), Text("fundingSource"),
            Whole("usefulLifeMonths"), Text("ownership"), Text("pupilReference"), Text("subsidyCategory"), Text("familyReference"),
            Whole("siblingOrder"), Amount("contractMonthlyRate"), Whole("contractMonths"), Text("contractProvider"), Id("boardSystemId"),
            Text("componentKind"));
    }

    /// <summary>One device's fields in <see cref="Columns"/> order, in the API's spelling, ready to import again; blank where there is no value.</summary>
    public static string[] Fields(Device d, KnownSchool school)
    {
        static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        static string? Name<T>(T? value) where T : struct, Enum => value is { } v ? DeviceRules.Name(v) : null;
        string?[] values =
        [
            d.SerialNumber, DeviceRules.Name(d.Kind), d.Manufacturer, d.Model, d.RoomId?.ToString(), DeviceRules.Name(d.Status),
            DeviceRules.Name(d.MdmState), Day(d.MdmEnrolledOn), Day(d.PurchaseDate), d.PurchasePrice?.ToString("0.00", CultureInfo.InvariantCulture),
            Day(d.WarrantyEnd), Name(d.FundingSource), d.UsefulLifeMonths?.ToString(CultureInfo.InvariantCulture), Name(d.Ownership),
            d.PupilReference, Name(d.SubsidyCategory), d.FamilyReference, d.SiblingOrder?.ToString(CultureInfo.InvariantCulture),
            d.ContractMonthlyRate?.ToString("0.00", CultureInfo.InvariantCulture), d.ContractMonths?.ToString(CultureInfo.InvariantCulture),
            d.ContractProvider, d.BoardSystemId?.ToString(), Name(d.ComponentKind), school.Number, school.Name,
        ];
        return Array.ConvertAll(values, value => value ?? string.Empty);
    }

    private static string Shorten(string text) => CsvTable.Shorten(text);
}
