namespace Mep.Exports;

/// <summary>The files an export is offered as, each on a route of its own (<see cref="ExportEndpoints.MapExport"/>).</summary>
public enum ExportFormat
{
    /// <summary>CSV for German Excel (<see cref="GermanExcelCsv"/>): the export's main sheet.</summary>
    Csv,

    /// <summary>An Excel workbook (<see cref="XlsxWorkbook"/>): every sheet of the export.</summary>
    Xlsx,
}

internal static class ExportFormats
{
    /// <summary>The file name extension, which is also the last part of the export's route.</summary>
    public static string Extension(this ExportFormat format) => format == ExportFormat.Csv ? "csv" : "xlsx";

    public static string MediaType(this ExportFormat format) => format == ExportFormat.Csv ? GermanExcelCsv.MediaType : XlsxWorkbook.MediaType;
}

/// <summary>The format an export route answers in: endpoint metadata set by <see cref="ExportEndpoints.MapExport"/>.</summary>
internal sealed record ExportFormatMetadata(ExportFormat Format);
