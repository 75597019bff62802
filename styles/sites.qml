<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.16-Białowieża" styleCategories="Symbology|Labeling" labelsEnabled="1">
  <renderer-v2 type="categorizedSymbol" attr="verdict" forceraster="0" symbollevels="0" enableorderby="0" referencescale="-1">
    <categories>
      <category render="true" value="forbidden" label="禁止 forbidden" symbol="0"/>
      <category render="true" value="conditional" label="有条件允许 conditional" symbol="1"/>
      <category render="true" value="allowed" label="允许 allowed" symbol="2"/>
      <category render="true" value="" label="错误或其他 error, other" symbol="3"/>
    </categories>
    <symbols>
      <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="color" v="215,25,28,150"/>
          <prop k="joinstyle" v="bevel"/>
          <prop k="outline_color" v="139,16,18,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.6"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="style" v="solid"/>
        </layer>
      </symbol>
      <symbol type="fill" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="color" v="253,174,97,150"/>
          <prop k="joinstyle" v="bevel"/>
          <prop k="outline_color" v="164,113,63,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.6"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="style" v="solid"/>
        </layer>
      </symbol>
      <symbol type="fill" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="color" v="26,150,65,150"/>
          <prop k="joinstyle" v="bevel"/>
          <prop k="outline_color" v="16,97,42,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.6"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="style" v="solid"/>
        </layer>
      </symbol>
      <symbol type="fill" name="3" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="color" v="160,160,160,150"/>
          <prop k="joinstyle" v="bevel"/>
          <prop k="outline_color" v="90,90,90,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.6"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="style" v="solid"/>
        </layer>
      </symbol>
    </symbols>
    <source-symbol>
      <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="color" v="160,160,160,150"/>
          <prop k="joinstyle" v="bevel"/>
          <prop k="outline_color" v="90,90,90,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.6"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="style" v="solid"/>
        </layer>
      </symbol>
    </source-symbol>
    <rotation/>
    <sizescale/>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="id" isExpression="0" fontFamily="Noto Sans CJK SC" namedStyle="Bold" fontWeight="75" fontItalic="0" fontSize="9" fontSizeUnit="Point" fontSizeMapUnitScale="3x:0,0,0,0,0,0" textColor="40,40,40,255" textOpacity="1" blendMode="0" multilineHeight="1" allowHtml="0" capitalization="0" fontKerning="1" fontLetterSpacing="0" fontWordSpacing="0" fontStrikeout="0" fontUnderline="0" previewBkgrdColor="255,255,255,255" textOrientation="horizontal" useSubstitutions="0">
        <text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" bufferSizeMapUnitScale="3x:0,0,0,0,0,0" bufferColor="255,255,255,255" bufferOpacity="0.863" bufferNoFill="1" bufferJoinStyle="128" bufferBlendMode="0"/>
        <shadow shadowDraw="0"/>
        <substitutions/>
      </text-style>
      <text-format wrapChar="" autoWrapLength="0" useMaxLineLengthForAutoWrap="1" multilineAlign="1" formatNumbers="0" decimals="3" plussign="0" addDirectionSymbol="0" placeDirectionSymbol="0" reverseDirectionSymbol="0" leftDirectionSymbol="&lt;" rightDirectionSymbol="&gt;"/>
      <placement placement="1" centroidWhole="0" centroidInside="1" fitInPolygonOnly="0" quadOffset="4" xOffset="0" yOffset="0" offsetUnits="MM" dist="0" distUnits="MM" priority="5" repeatDistance="0" overrunDistance="0" polygonPlacementFlags="2" placementFlags="10" rotationAngle="0" preserveRotation="1" layerType="PolygonGeometry"/>
      <rendering obstacle="1" obstacleType="1" obstacleFactor="1" displayAll="0" upsidedownLabels="0" labelPerPart="0" mergeLines="0" limitNumLabels="0" maxNumLabels="2000" minFeatureSize="0" drawLabels="1" fontLimitPixelSize="0" fontMinPixelSize="3" fontMaxPixelSize="10000" scaleVisibility="0" scaleMin="0" scaleMax="0" zIndex="0" unplacedVisibility="0"/>
    </settings>
  </labeling>
  <blendMode>0</blendMode>
  <featureBlendMode>0</featureBlendMode>
  <layerGeometryType>2</layerGeometryType>
</qgis>
