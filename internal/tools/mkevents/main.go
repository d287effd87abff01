// Command mkevents makes a large Prophesee RAW file (EVT 2.0 or 3.0) for
// streaming and throughput measurements: it decodes a real recording and
// re-encodes its events, repeated with a time shift, until the output
// reaches the requested size. The decoder checks every copy on the way in;
// the output is a valid, time-ordered stream.
//
//	go run ./internal/tools/mkevents -in ../shared/data/faery/evt2.raw -format evt3 -size 1GB -o big.raw
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/evt"
)

func main() {
	in := flag.String("in", "", "source RAW file (EVT 2.0 or 3.0)")
	format := flag.String("format", "evt3", "output format: evt2 or evt3")
	size := flag.String("size", "1GB", "target size (e.g. 200MB, 1GB)")
	out := flag.String("o", "", "output file")
	flag.Parse()
	if err := run(*in, *format, *size, *out); err != nil {
		fmt.Fprintln(os.Stderr, "mkevents:", err)
		os.Exit(1)
	}
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	u := strings.ToUpper(s)
	for suf, m := range map[string]int64{"GB": 1 << 30, "MB": 1 << 20, "KB": 1 << 10} {
		if strings.HasSuffix(u, suf) {
			mult, u = m, strings.TrimSuffix(u, suf)
		}
	}
	n, err := strconv.ParseFloat(u, 64)
	return int64(n * float64(mult)), err
}

type encoder interface {
	Write(*events.Batch) error
	Close() error
	Events() int64
}

func run(in, format, size, out string) error {
	target, err := parseSize(size)
	if err != nil || in == "" || out == "" {
		return fmt.Errorf("need -in, -o and a size like 1GB")
	}
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	dec, err := evt.NewDecoder(bufio.NewReader(f), evt.Options{DecodeOptions: events.DecodeOptions{Name: in}})
	if err != nil {
		return err
	}
	src, err := events.ReadAll(dec)
	f.Close()
	if err != nil {
		return err
	}
	g := dec.Geometry()
	o, err := os.Create(out)
	if err != nil {
		return err
	}
	defer o.Close()
	bw := bufio.NewWriterSize(o, 4<<20)
	var enc encoder
	switch format {
	case "evt2":
		enc, err = evt.NewEncoder2(bw, out, g.Width, g.Height)
	case "evt3":
		enc, err = evt.NewEncoder3(bw, out, g.Width, g.Height)
	default:
		err = fmt.Errorf("format %q: evt2 or evt3", format)
	}
	if err != nil {
		return err
	}
	span := src.T[src.Len()-1] - src.T[0] + 1
	shifted := &events.Batch{}
	for copyN := int64(0); ; copyN++ {
		st, _ := o.Stat()
		if st.Size()+int64(bw.Buffered()) >= target {
			break
		}
		shifted.Reset()
		for i := range src.T {
			shifted.Append(src.T[i]+copyN*span, src.X[i], src.Y[i], src.P[i])
		}
		if err := enc.Write(shifted); err != nil {
			return err
		}
	}
	if err := enc.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	st, _ := o.Stat()
	fmt.Printf("wrote %s: %d events, %d bytes (%s, %dx%d)\n", out, enc.Events(), st.Size(), format, g.Width, g.Height)
	return nil
}
