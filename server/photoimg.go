package server

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	_ "image/png" // the other accepted format; registered for image.Decode

	"rembuk/board"
)

// maxPhotoEdge is the long edge a stored photo is reduced to: enough for a
// printed A4 appendix, and it keeps 30 photos of a session small in the
// database and in the minutes.
const maxPhotoEdge = 2048

// processedPhoto is an upload after the checks: JPEGs without metadata.
type processedPhoto struct {
	full, thumb   []byte
	width, height int
}

var errNotImage = board.Errorf(board.CodeInvalid, "the file is not a JPEG or PNG image")

// processPhoto checks an upload by its content (not its name or declared
// type), decodes it fully, turns it upright (EXIF orientation), reduces it
// to maxPhotoEdge and re-encodes it as JPEG, which leaves out EXIF and
// anything appended after the image. The thumbnail is made from it.
func processPhoto(body []byte) (processedPhoto, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(body))
	if err != nil || (format != "jpeg" && format != "png") {
		return processedPhoto{}, errNotImage
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > board.MaxPhotoPixels {
		return processedPhoto{}, board.Errorf(board.CodeTooLarge, "the image has more than %d million pixels", board.MaxPhotoPixels/1_000_000)
	}
	img, _, err := image.Decode(bytes.NewReader(body))
	if err != nil {
		return processedPhoto{}, board.Errorf(board.CodeInvalid, "the image is damaged or incomplete")
	}
	// Flatten onto white: a transparent PNG would turn black in a JPEG.
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Over)
	img = nil
	w, h := fitWithin(rgba.Rect.Dx(), rgba.Rect.Dy(), maxPhotoEdge)
	full := orient(boxResize(rgba, w, h), exifOrientation(body))
	tw := min(board.PhotoThumbWidth, full.Rect.Dx())
	thumb := boxResize(full, tw, max(1, full.Rect.Dy()*tw/full.Rect.Dx()))
	var fb, tb bytes.Buffer
	if err := jpeg.Encode(&fb, full, &jpeg.Options{Quality: board.PhotoJPEGQuality}); err != nil {
		return processedPhoto{}, err
	}
	if err := jpeg.Encode(&tb, thumb, &jpeg.Options{Quality: 80}); err != nil {
		return processedPhoto{}, err
	}
	return processedPhoto{full: fb.Bytes(), thumb: tb.Bytes(), width: full.Rect.Dx(), height: full.Rect.Dy()}, nil
}

// fitWithin scales w×h down so its long edge is at most edge.
func fitWithin(w, h, edge int) (int, int) {
	if w <= edge && h <= edge {
		return w, h
	}
	if w >= h {
		return edge, max(1, h*edge/w)
	}
	return max(1, w*edge/h), edge
}

// boxResize reduces src to w×h by averaging each destination pixel's
// source area (a box filter: enough for downscaling photos, and no
// dependency). Same size returns src.
func boxResize(src *image.RGBA, w, h int) *image.RGBA {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	if w == sw && h == sh {
		return src
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		y0, y1 := y*sh/h, max((y+1)*sh/h, y*sh/h+1)
		for x := 0; x < w; x++ {
			x0, x1 := x*sw/w, max((x+1)*sw/w, x*sw/w+1)
			var r, g, b, n uint64
			for sy := y0; sy < y1; sy++ {
				row := src.Pix[sy*src.Stride+x0*4 : sy*src.Stride+x1*4]
				for i := 0; i < len(row); i += 4 {
					r += uint64(row[i])
					g += uint64(row[i+1])
					b += uint64(row[i+2])
					n++
				}
			}
			o := y*dst.Stride + x*4
			dst.Pix[o], dst.Pix[o+1], dst.Pix[o+2], dst.Pix[o+3] = uint8(r/n), uint8(g/n), uint8(b/n), 255
		}
	}
	return dst
}

// orient turns src upright for EXIF orientation o (1–8; others: as is).
func orient(src *image.RGBA, o int) *image.RGBA {
	if o < 2 || o > 8 {
		return src
	}
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	dw, dh := sw, sh
	if o >= 5 {
		dw, dh = sh, sw
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < sh; y++ {
		for x := 0; x < sw; x++ {
			var dx, dy int
			switch o {
			case 2:
				dx, dy = sw-1-x, y
			case 3:
				dx, dy = sw-1-x, sh-1-y
			case 4:
				dx, dy = x, sh-1-y
			case 5:
				dx, dy = y, x
			case 6:
				dx, dy = sh-1-y, x
			case 7:
				dx, dy = sh-1-y, sw-1-x
			case 8:
				dx, dy = y, sw-1-x
			}
			copy(dst.Pix[dy*dst.Stride+dx*4:dy*dst.Stride+dx*4+4], src.Pix[y*src.Stride+x*4:y*src.Stride+x*4+4])
		}
	}
	return dst
}

// exifOrientation reads the Orientation tag (0x0112) of a JPEG's EXIF
// segment; 1 (upright) when there is none or it cannot be read.
func exifOrientation(b []byte) int {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return 1
	}
	for i := 2; i+4 <= len(b) && b[i] == 0xFF; {
		marker, n := b[i+1], int(binary.BigEndian.Uint16(b[i+2:]))
		if marker == 0xDA || n < 2 || i+2+n > len(b) {
			return 1 // image data starts: no EXIF before it
		}
		seg := b[i+4 : i+2+n]
		if marker == 0xE1 && len(seg) > 14 && string(seg[:6]) == "Exif\x00\x00" {
			return tiffOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

func tiffOrientation(t []byte) int {
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	off := int(bo.Uint32(t[4:]))
	if off < 8 || off+2 > len(t) {
		return 1
	}
	n := int(bo.Uint16(t[off:]))
	for k := 0; k < n; k++ {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			return 1
		}
		if bo.Uint16(t[e:]) == 0x0112 {
			return int(bo.Uint16(t[e+8:]))
		}
	}
	return 1
}
