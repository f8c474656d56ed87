using System.Globalization;
using Mep.Assets.Devices;
using Mep.Contracts.Assets;
using Mep.Exports;
using Mep.ServiceDefaults.Csv;

namespace Mep.Assets.Registration;

/// <summary>
/// The CSV form of <see cref="DeviceRow"/>, for import and export. The export (<see cref="Inventory"/>) is German Excel's: German
/// headers and values, days as dd.MM.yyyy, decimal commas. The import reads it back as it is, and what the API writes too: a header
/// line with the JSON field names or the export's headers (any order; serialNumber, kind, manufacturer and model required), comma
/// or semicolon as delimiter (with semicolons, decimal commas), members by their API or German names, days as yyyy-MM-dd or
/// dd.MM.yyyy, RFC 4180 quoting, UTF-8.
/// An export names the school of every row (schoolNumber, schoolName) for the people who read it; an import checks the number
/// against the school it registers for.
/// </summary>
public static class DeviceCsv
{
    public const string MediaType = "text/csv";

    private static readonly GermanNames<DeviceKind> Kinds = new(new()
    {
        [DeviceKind.Tablet] = "Tablet", [DeviceKind.ComputerRoomDevice] = "Computerraum-Gerät",
        [DeviceKind.BoardSystemComponent] = "Tafelsystem-Bauteil", [DeviceKind.NetworkDevice] = "Netzwerkgerät",
    });

    private static readonly GermanNames<DeviceStatus> Statuses = new(new()
    {
        [DeviceStatus.Ordered] = "bestellt", [DeviceStatus.Delivered] = "geliefert", [DeviceStatus.InService] = "im Einsatz",
        [DeviceStatus.InRepair] = "in Reparatur", [DeviceStatus.Lost] = "verloren", [DeviceStatus.Retired] = "ausgemustert",
    });

    private static readonly GermanNames<MdmState> MdmStates = new(new()
    {
        [MdmState.NotEnrolled] = "nicht im MDM", [MdmState.Enrolled] = "im MDM", [MdmState.Unenrolled] = "aus dem MDM entfernt",
    });

    internal static readonly GermanNames<FundingSource> FundingSources = new(new()
    {
        [FundingSource.DigitalPaktBase] = "DigitalPakt", [FundingSource.ImmediateEquipmentLoan] = "Sofortausstattung (Leihgerät)",
        [FundingSource.TeacherLoanDevices] = "Leihgeräte für Lehrkräfte", [FundingSource.CityMepBudget] = "MEP-Budget der Stadt",
        [FundingSource.ParentFinanced] = "Elternfinanziert",
    });

    private static readonly GermanNames<TabletOwnership> Ownerships = new(new()
    {
        [TabletOwnership.ParentFinancedPupil] = "Schülergerät (elternfinanziert)", [TabletOwnership.SchoolClassSet] = "Klassensatz",
        [TabletOwnership.Teacher] = "Lehrkraft", [TabletOwnership.Loan] = "Leihgerät",
    });

    private static readonly GermanNames<SubsidyCategory> SubsidyCategories = new(new()
    {
        [SubsidyCategory.None] = "kein Zuschuss", [SubsidyCategory.ButAsylbLG] = "BuT/AsylbLG", [SubsidyCategory.Sibling] = "Geschwisterkind",
    });

    private static readonly GermanNames<BoardComponentKind> ComponentKinds = new(new()
    {
        [BoardComponentKind.Whiteboard] = "Whiteboard", [BoardComponentKind.InteractiveProjector] = "Interaktiver Beamer",
        [BoardComponentKind.MiniPc] = "Mini-PC", [BoardComponentKind.AppleTv] = "Apple TV", [BoardComponentKind.Speakers] = "Lautsprecher",
    });

    /// <summary>A school's devices as it exports them and imports them again; each column's field is its JSON field and import column.</summary>
    public static readonly ExportTable<InventoryRow> Inventory = new ExportTable<InventoryRow>("Geräte")
        .Text("Seriennummer", r => r.Device.SerialNumber, width: 18, field: "serialNumber")
        .Choice("Geräteart", r => r.Device.Kind, Kinds, width: 20, field: "kind")
        .Text("Hersteller", r => r.Device.Manufacturer, field: "manufacturer")
        .Text("Modell", r => r.Device.Model, width: 20, field: "model")
        .Text("Raum-ID", r => r.Device.RoomId?.ToString(), width: 37, field: "roomId")
        .Text("Gebäude", r => r.Room?.BuildingName, width: 20, field: BuildingColumn)
        .Text("Raum", r => r.Room?.Number, width: 12, field: RoomNumberColumn)
        .Choice("Status", r => r.Device.Status, Statuses, width: 13, field: "status")
        .Choice("MDM-Status", r => r.Device.MdmState, MdmStates, width: 20, field: "mdmState")
        .Date("Im MDM seit", r => r.Device.MdmEnrolledOn, field: "mdmEnrolledOn")
        .Date("Kaufdatum", r => r.Device.PurchaseDate, field: "purchaseDate")
        .Money("Kaufpreis", r => r.Device.PurchasePrice, field: "purchasePrice")
        .Date("Gewährleistung bis", r => r.Device.WarrantyEnd, field: "warrantyEnd")
        .Choice("Finanzierung", r => r.Device.FundingSource, FundingSources, width: 28, field: "fundingSource")
        .Whole("Nutzungsdauer (Monate)", r => r.Device.UsefulLifeMonths, field: "usefulLifeMonths")
        .Choice("Eigentum", r => r.Device.Ownership, Ownerships, width: 30, field: "ownership")
        .Text("Schüler-Referenz", r => r.Device.PupilReference, field: "pupilReference")
        .Choice("Zuschuss", r => r.Device.SubsidyCategory, SubsidyCategories, field: "subsidyCategory")
        .Text("Familien-Referenz", r => r.Device.FamilyReference, field: "familyReference")
        .Whole("Geschwisterkind Nr.", r => r.Device.SiblingOrder, field: "siblingOrder")
        .Money("Monatsrate", r => r.Device.ContractMonthlyRate, field: "contractMonthlyRate")
        .Whole("Laufzeit (Monate)", r => r.Device.ContractMonths, field: "contractMonths")
        .Text("Vertragspartner", r => r.Device.ContractProvider, field: "contractProvider")
        .Text("Tafelsystem-ID", r => r.Device.BoardSystemId?.ToString(), width: 37, field: "boardSystemId")
        .Choice("Tafelsystem-Bauteil", r => r.Device.ComponentKind, ComponentKinds, width: 20, field: "componentKind")
        .Text("Schulnummer", r => r.School.Number, width: 12, field: SchoolNumberColumn)
        .Text("Schule", r => r.School.Name, width: 30, field: SchoolNameColumn);

    /// <summary>The columns an import reads, by their JSON field names, in the order the export writes them.</summary>
    public static readonly IReadOnlyList<string> Columns = Inventory.Fields;

    private const string SchoolNumberColumn = "schoolNumber";

    /// <summary>Written for people; read back without a check: a school renamed since the export is still the same school.</summary>
    private const string SchoolNameColumn = "schoolName";

    /// <summary>
    /// The room as people on site name it, beside its id. Written for people; an import places a device by its <c>roomId</c> and reads these
    /// back without a check, so a room renamed since the export still takes its devices.
    /// </summary>
    private const string BuildingColumn = "building";

    private const string RoomNumberColumn = "roomNumber";

    private static readonly string[] RequiredColumns = ["serialNumber", "kind", "manufacturer", "model"];

    /// <summary>
    /// Reads every data row; a value of the wrong type becomes a row error, a broken file a <see cref="CsvFormatException"/>. The school
    /// number each row names (null where the cell is blank or the column absent), for <see cref="ForeignRows"/>.
    /// </summary>
    public static (List<DeviceRow> Rows, List<RowError> Errors, IReadOnlyList<string?> SchoolNumbers) Read(ReadOnlyMemory<byte> body, int maxRows)
    {
        var table = CsvTable.Read(body, Columns, RequiredColumns, maxRows, "devices", Inventory.FieldsByHeader);
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
        // A German name or day as the export writes it becomes the API's text, which the registration's rules read.
        string? Text(string column) => Inventory.ApiText(column, table.Text(record, column));

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

    private static string Shorten(string text) => CsvTable.Shorten(text);
}
