package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// A table is a header row and data rows, read from or written to .csv (UTF-8,
// BOM allowed) or .xlsx, chosen by file extension.
type table struct {
	header  []string
	rows    [][]string
	numeric map[int]bool // columns of whole numbers: XLSX cells hold numbers, not text
}

func tableFormat(path string) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return "csv", nil
	case ".xlsx":
		return "xlsx", nil
	}
	return "", fmt.Errorf("%s: unsupported file type (want .csv or .xlsx)", path)
}

func readTable(path string) (table, error) {
	format, err := tableFormat(path)
	if err != nil {
		return table{}, err
	}
	var rows [][]string
	switch format {
	case "csv":
		b, err := os.ReadFile(path)
		if err != nil {
			return table{}, err
		}
		b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
		r := csv.NewReader(bytes.NewReader(b))
		r.FieldsPerRecord = -1
		rows, err = r.ReadAll()
		if err != nil {
			return table{}, fmt.Errorf("%s: not a valid CSV file: %w", path, err)
		}
	case "xlsx":
		f, err := excelize.OpenFile(path)
		if err != nil {
			return table{}, fmt.Errorf("%s: not a valid XLSX file: %w", path, err)
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return table{}, fmt.Errorf("%s: the workbook has no sheet", path)
		}
		rows, err = f.GetRows(sheets[0])
		if err != nil {
			return table{}, fmt.Errorf("%s: %w", path, err)
		}
	}
	if len(rows) == 0 {
		return table{}, fmt.Errorf("%s: the file is empty (a header row is required)", path)
	}
	t := table{header: rows[0]}
	for _, r := range rows[1:] {
		if !blank(r) {
			t.rows = append(t.rows, r)
		}
	}
	return t, nil
}

func blank(r []string) bool {
	for _, c := range r {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// columns maps header cells (English keys or Chinese labels) to keys; every
// required key must be present and unknown headers are refused.
func (t table) columns(labels map[string]string, required ...string) (map[string]int, error) {
	byLabel := map[string]string{}
	for k, l := range labels {
		byLabel[strings.ToLower(k)] = k
		byLabel[strings.ToLower(l)] = k
	}
	idx := map[string]int{}
	for i, h := range t.header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		k, ok := byLabel[strings.ToLower(h)]
		if !ok {
			return nil, fmt.Errorf("unknown column %q", h)
		}
		idx[k] = i
	}
	for _, k := range required {
		if _, ok := idx[k]; !ok {
			return nil, fmt.Errorf("missing column %q (%s)", k, labels[k])
		}
	}
	return idx, nil
}

// cell reads column k of row r ("" when absent).
func cell(r []string, idx map[string]int, k string) string {
	i, ok := idx[k]
	if !ok || i >= len(r) {
		return ""
	}
	return strings.TrimSpace(r[i])
}

func writeTable(w io.Writer, format string, t table) error {
	switch format {
	case "csv":
		if _, err := w.Write([]byte("\xef\xbb\xbf")); err != nil { // Excel opens UTF-8 CSV with a BOM
			return err
		}
		cw := csv.NewWriter(w)
		if err := cw.Write(t.header); err != nil {
			return err
		}
		if err := cw.WriteAll(t.rows); err != nil {
			return err
		}
		return cw.Error()
	case "xlsx":
		f := excelize.NewFile()
		defer f.Close()
		sheet := f.GetSheetName(0)
		sw, err := f.NewStreamWriter(sheet)
		if err != nil {
			return err
		}
		// Widths and the frozen header go before the first row.
		for i, w := range t.widths() {
			if err := sw.SetColWidth(i+1, i+1, w); err != nil {
				return err
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		write := func(n int, row []string) error {
			vals := make([]any, len(row))
			for i, v := range row {
				vals[i] = v
				if n > 1 && t.numeric[i] && v != "" {
					if num, err := strconv.ParseInt(v, 10, 64); err == nil {
						vals[i] = num
					}
				}
			}
			c, _ := excelize.CoordinatesToCellName(1, n)
			return sw.SetRow(c, vals)
		}
		if err := write(1, t.header); err != nil {
			return err
		}
		for i, r := range t.rows {
			if err := write(i+2, r); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
		return f.Write(w)
	}
	return fmt.Errorf("unsupported format %q", format)
}

// widths are the XLSX column widths, in characters: wide enough for the
// header and the longest cell (a CJK character counts two), from 8 to 50.
func (t table) widths() []float64 {
	out := make([]float64, len(t.header))
	measure := func(i int, s string) {
		w := 0
		for _, r := range s {
			if r > 0x2E80 {
				w += 2
			} else {
				w++
			}
		}
		out[i] = max(out[i], float64(w)+2)
	}
	for i, h := range t.header {
		measure(i, h)
	}
	for _, r := range t.rows {
		for i, c := range r {
			if i < len(out) {
				measure(i, c)
			}
		}
	}
	for i := range out {
		out[i] = min(max(out[i], 8), 50)
	}
	return out
}
