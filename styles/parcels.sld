<?xml version="1.0" encoding="UTF-8"?>
<StyledLayerDescriptor xmlns="http://www.opengis.net/sld" xmlns:ogc="http://www.opengis.net/ogc" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:se="http://www.opengis.net/se" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="1.1.0" xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd">
  <NamedLayer>
    <se:Name>parcels</se:Name>
    <UserStyle>
      <se:Name>parcels</se:Name>
      <se:Description>
        <se:Title>三调图斑 land-use parcels</se:Title>
      </se:Description>
      <se:FeatureTypeStyle>
        <se:Rule>
          <se:Name>0101</se:Name>
          <se:Description>
            <se:Title>0101 水田</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0101</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#ffff64</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>0102</se:Name>
          <se:Description>
            <se:Title>0102 水浇地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0102</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#ffe878</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>0103</se:Name>
          <se:Description>
            <se:Title>0103 旱地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0103</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#fffab9</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>0201</se:Name>
          <se:Description>
            <se:Title>0201 果园</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0201</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#ffb864</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>0202</se:Name>
          <se:Description>
            <se:Title>0202 茶园</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0202</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#f0a682</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>0204</se:Name>
          <se:Description>
            <se:Title>0204 其他园地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0204</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#ffd4b0</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>0301</se:Name>
          <se:Description>
            <se:Title>0301 乔木林地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0301</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#31a354</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>0302</se:Name>
          <se:Description>
            <se:Title>0302 竹林地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0302</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#6ebe5a</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>0305</se:Name>
          <se:Description>
            <se:Title>0305 灌木林地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0305</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#96cd8c</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>0307</se:Name>
          <se:Description>
            <se:Title>0307 其他林地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0307</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#b9deaa</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>0401</se:Name>
          <se:Description>
            <se:Title>0401 天然牧草地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0401</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#c3e47d</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>0403</se:Name>
          <se:Description>
            <se:Title>0403 人工牧草地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0403</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#d7ee96</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>0404</se:Name>
          <se:Description>
            <se:Title>0404 其他草地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0404</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#e4f2b4</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>05H1</se:Name>
          <se:Description>
            <se:Title>05H1 商业服务业设施用地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>05H1</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#eb5555</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>0508</se:Name>
          <se:Description>
            <se:Title>0508 物流仓储用地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0508</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#de8cbe</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>0601</se:Name>
          <se:Description>
            <se:Title>0601 工业用地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0601</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#eb965a</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>0602</se:Name>
          <se:Description>
            <se:Title>0602 采矿用地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0602</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#c47850</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>0701</se:Name>
          <se:Description>
            <se:Title>0701 城镇住宅用地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0701</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#f09191</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>0702</se:Name>
          <se:Description>
            <se:Title>0702 农村宅基地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0702</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#fac0b4</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>08H1</se:Name>
          <se:Description>
            <se:Title>08H1 机关团体新闻出版用地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>08H1</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#e46ea0</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>08H2</se:Name>
          <se:Description>
            <se:Title>08H2 科教文卫用地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>08H2</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#f29bc3</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>0809</se:Name>
          <se:Description>
            <se:Title>0809 公用设施用地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0809</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#c86e96</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>0810</se:Name>
          <se:Description>
            <se:Title>0810 公园与绿地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0810</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#96d78c</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>1001</se:Name>
          <se:Description>
            <se:Title>1001 铁路用地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1001</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#787878</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>1003</se:Name>
          <se:Description>
            <se:Title>1003 公路用地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1003</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#969696</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>1004</se:Name>
          <se:Description>
            <se:Title>1004 城镇村道路用地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1004</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#b6b6b6</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>1006</se:Name>
          <se:Description>
            <se:Title>1006 农村道路</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1006</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#cdcdcd</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>1101</se:Name>
          <se:Description>
            <se:Title>1101 河流水面</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1101</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#73b9f0</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>1103</se:Name>
          <se:Description>
            <se:Title>1103 水库水面</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1103</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#5aa5e4</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>1104</se:Name>
          <se:Description>
            <se:Title>1104 坑塘水面</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1104</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#96d0f5</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>1107</se:Name>
          <se:Description>
            <se:Title>1107 沟渠</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1107</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#afdefa</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>1109</se:Name>
          <se:Description>
            <se:Title>1109 水工建筑用地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1109</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#5087c3</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>1202</se:Name>
          <se:Description>
            <se:Title>1202 设施农用地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1202</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#dac896</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>1203</se:Name>
          <se:Description>
            <se:Title>1203 田坎</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1203</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#ebdebe</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>1206</se:Name>
          <se:Description>
            <se:Title>1206 裸土地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1206</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#d2bca5</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>1207</se:Name>
          <se:Description>
            <se:Title>1207 裸岩石砾地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1207</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#c8c6bc</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>01*</se:Name>
          <se:Description>
            <se:Title>01 耕地（其他二级类）</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:And>
              <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>01%</ogc:Literal></ogc:PropertyIsLike>
              <ogc:Not>
                <ogc:Or>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0101</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0102</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0103</ogc:Literal></ogc:PropertyIsEqualTo>
                </ogc:Or>
              </ogc:Not>
            </ogc:And>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#fff58c</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>02*</se:Name>
          <se:Description>
            <se:Title>02 园地（其他二级类）</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:And>
              <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>02%</ogc:Literal></ogc:PropertyIsLike>
              <ogc:Not>
                <ogc:Or>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0201</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0202</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0204</ogc:Literal></ogc:PropertyIsEqualTo>
                </ogc:Or>
              </ogc:Not>
            </ogc:And>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#ffc88c</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>03*</se:Name>
          <se:Description>
            <se:Title>03 林地（其他二级类）</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:And>
              <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>03%</ogc:Literal></ogc:PropertyIsLike>
              <ogc:Not>
                <ogc:Or>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0301</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0302</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0305</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0307</ogc:Literal></ogc:PropertyIsEqualTo>
                </ogc:Or>
              </ogc:Not>
            </ogc:And>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#5ab46e</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>04*</se:Name>
          <se:Description>
            <se:Title>04 草地（其他二级类）</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:And>
              <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>04%</ogc:Literal></ogc:PropertyIsLike>
              <ogc:Not>
                <ogc:Or>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0401</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0403</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0404</ogc:Literal></ogc:PropertyIsEqualTo>
                </ogc:Or>
              </ogc:Not>
            </ogc:And>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#d2eb96</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>05*</se:Name>
          <se:Description>
            <se:Title>05 商服用地（其他二级类）</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:And>
              <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>05%</ogc:Literal></ogc:PropertyIsLike>
              <ogc:Not>
                <ogc:Or>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>05H1</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0508</ogc:Literal></ogc:PropertyIsEqualTo>
                </ogc:Or>
              </ogc:Not>
            </ogc:And>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#f06e6e</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>06*</se:Name>
          <se:Description>
            <se:Title>06 工矿用地（其他二级类）</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:And>
              <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>06%</ogc:Literal></ogc:PropertyIsLike>
              <ogc:Not>
                <ogc:Or>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0601</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0602</ogc:Literal></ogc:PropertyIsEqualTo>
                </ogc:Or>
              </ogc:Not>
            </ogc:And>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#e4915f</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>07*</se:Name>
          <se:Description>
            <se:Title>07 住宅用地（其他二级类）</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:And>
              <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>07%</ogc:Literal></ogc:PropertyIsLike>
              <ogc:Not>
                <ogc:Or>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0701</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0702</ogc:Literal></ogc:PropertyIsEqualTo>
                </ogc:Or>
              </ogc:Not>
            </ogc:And>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#f5a5a5</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>08*</se:Name>
          <se:Description>
            <se:Title>08 公共管理与公共服务用地（其他二级类）</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:And>
              <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>08%</ogc:Literal></ogc:PropertyIsLike>
              <ogc:Not>
                <ogc:Or>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>08H1</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>08H2</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0809</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>0810</ogc:Literal></ogc:PropertyIsEqualTo>
                </ogc:Or>
              </ogc:Not>
            </ogc:And>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#eb87af</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>09*</se:Name>
          <se:Description>
            <se:Title>09 特殊用地</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>09%</ogc:Literal></ogc:PropertyIsLike>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#be786e</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>10*</se:Name>
          <se:Description>
            <se:Title>10 交通运输用地（其他二级类）</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:And>
              <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>10%</ogc:Literal></ogc:PropertyIsLike>
              <ogc:Not>
                <ogc:Or>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1001</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1003</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1004</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1006</ogc:Literal></ogc:PropertyIsEqualTo>
                </ogc:Or>
              </ogc:Not>
            </ogc:And>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#aaaaaa</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>11*</se:Name>
          <se:Description>
            <se:Title>11 水域及水利设施用地（其他二级类）</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:And>
              <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>11%</ogc:Literal></ogc:PropertyIsLike>
              <ogc:Not>
                <ogc:Or>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1101</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1103</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1104</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1107</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1109</ogc:Literal></ogc:PropertyIsEqualTo>
                </ogc:Or>
              </ogc:Not>
            </ogc:And>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#8cc8f0</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>12*</se:Name>
          <se:Description>
            <se:Title>12 其他土地（其他二级类）</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:And>
              <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>12%</ogc:Literal></ogc:PropertyIsLike>
              <ogc:Not>
                <ogc:Or>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1202</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1203</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1206</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>1207</ogc:Literal></ogc:PropertyIsEqualTo>
                </ogc:Or>
              </ogc:Not>
            </ogc:And>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#e1d2b4</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>other</se:Name>
          <se:Description>
            <se:Title>其他 other</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:Or>
              <ogc:Not>
                <ogc:Or>
                  <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>01%</ogc:Literal></ogc:PropertyIsLike>
                  <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>02%</ogc:Literal></ogc:PropertyIsLike>
                  <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>03%</ogc:Literal></ogc:PropertyIsLike>
                  <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>04%</ogc:Literal></ogc:PropertyIsLike>
                  <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>05%</ogc:Literal></ogc:PropertyIsLike>
                  <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>06%</ogc:Literal></ogc:PropertyIsLike>
                  <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>07%</ogc:Literal></ogc:PropertyIsLike>
                  <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>08%</ogc:Literal></ogc:PropertyIsLike>
                  <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>09%</ogc:Literal></ogc:PropertyIsLike>
                  <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>10%</ogc:Literal></ogc:PropertyIsLike>
                  <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>11%</ogc:Literal></ogc:PropertyIsLike>
                  <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\"><ogc:PropertyName>dlbm</ogc:PropertyName><ogc:Literal>12%</ogc:Literal></ogc:PropertyIsLike>
                </ogc:Or>
              </ogc:Not>
              <ogc:PropertyIsNull><ogc:PropertyName>dlbm</ogc:PropertyName></ogc:PropertyIsNull>
            </ogc:Or>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#dcdcdc</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#808080</se:SvgParameter>
              <se:SvgParameter name="stroke-width">0.36</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
      </se:FeatureTypeStyle>
    </UserStyle>
  </NamedLayer>
</StyledLayerDescriptor>
